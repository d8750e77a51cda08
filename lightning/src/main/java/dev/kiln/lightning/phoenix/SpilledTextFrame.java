package dev.kiln.lightning.phoenix;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.lightning.protocol.LightningJson;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A large text message, written to a file as its partial frames arrived, decoded from there by a
 * streaming parser. A reply whose {@code response} is a string or an array of byte values
 * (lightning-mock's {@code fetch:dataclip}: JSON text in a string, or its UTF-8 bytes as numbers)
 * gets that text as a file of its own ({@link Frame#bodyFile()}, read by {@link
 * Reply#responseText()}); a byte array is decoded token by token, never held. Any other payload (a
 * plan, an object response) is built in memory as {@link FrameCodec#decodeText} would.
 */
final class SpilledTextFrame {
  private SpilledTextFrame() {}

  /** Decodes the text frame in {@code message}; a reply's dataclip goes to a new file in {@code dir}. */
  static Frame decode(Path message, Path dir) throws IOException {
    try (JsonParser in = LightningJson.mapper().createParser(message.toFile())) {
      if (in.nextToken() != JsonToken.START_ARRAY) {
        throw new FrameException("frame is not a 5-element array: " + message);
      }
      String joinRef = text(in, false);
      String ref = text(in, false);
      String topic = text(in, true);
      String event = text(in, true);
      JsonToken start = in.nextToken();
      boolean reply = "phx_reply".equals(event) || event.startsWith("chan_reply_");
      Frame frame;
      if (reply && start == JsonToken.START_OBJECT) {
        frame = reply(in, joinRef, ref, topic, event, dir);
      } else {
        frame = new Frame(joinRef, ref, topic, event, LightningJson.mapper().readTree(in));
      }
      if (in.nextToken() != JsonToken.END_ARRAY) {
        throw new FrameException("frame is not a 5-element array: " + message);
      }
      return frame;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new FrameException("frame is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static Frame reply(JsonParser in, String joinRef, String ref, String topic, String event, Path dir)
      throws IOException {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    Path body = null;
    while (in.nextToken() == JsonToken.FIELD_NAME) {
      String name = in.currentName();
      JsonToken value = in.nextToken();
      if ("response".equals(name) && value == JsonToken.VALUE_STRING) {
        body = newFile(dir);
        try (Writer out = Files.newBufferedWriter(body, StandardCharsets.UTF_8)) {
          in.getText(out);
        }
      } else if ("response".equals(name) && value == JsonToken.START_ARRAY) {
        body = newFile(dir);
        JsonNode notBytes = bytesOrTree(in, body);
        if (notBytes != null) {
          Files.delete(body);
          body = null;
          payload.set(name, notBytes);
        }
      } else {
        payload.set(name, LightningJson.mapper().readTree(in));
      }
    }
    return new Frame(joinRef, ref, topic, event, payload, null, body);
  }

  /**
   * Writes an array of byte values to {@code file}, one token at a time; null when it was one, else
   * the array as a tree (read back from a JSON copy written alongside: any other array response).
   */
  private static JsonNode bytesOrTree(JsonParser in, Path file) throws IOException {
    Path json = file.resolveSibling(file.getFileName() + ".array");
    boolean bytes = true;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file));
        JsonGenerator copy = LightningJson.mapper().createGenerator(Files.newOutputStream(json))) {
      copy.writeStartArray();
      JsonToken token;
      while ((token = in.nextToken()) != JsonToken.END_ARRAY) {
        if (bytes && token == JsonToken.VALUE_NUMBER_INT && in.getIntValue() >= 0 && in.getIntValue() <= 255) {
          out.write(in.getIntValue());
        } else {
          bytes = false;
        }
        copy.copyCurrentStructure(in);
      }
      copy.writeEndArray();
    }
    try {
      return bytes && Files.size(file) > 0 ? null : LightningJson.mapper().readTree(json.toFile());
    } finally {
      Files.delete(json);
    }
  }

  private static Path newFile(Path dir) throws IOException {
    Files.createDirectories(dir);
    return Files.createTempFile(dir, "reply-", ".body");
  }

  private static String text(JsonParser in, boolean required) throws IOException {
    JsonToken token = in.nextToken();
    if (token == JsonToken.VALUE_STRING) {
      return in.getText();
    }
    if (!required && token == JsonToken.VALUE_NULL) {
      return null;
    }
    throw new FrameException("frame has no " + (required ? "topic/event" : "ref") + " where expected");
  }
}
