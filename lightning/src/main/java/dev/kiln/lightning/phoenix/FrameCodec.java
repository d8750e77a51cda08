package dev.kiln.lightning.phoenix;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.lightning.protocol.LightningJson;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Phoenix's V2 serializer ({@code phoenix/serializer.js}, {@code vsn=2.0.0}): text frames are JSON
 * arrays {@code [join_ref, ref, topic, event, payload]}; binary frames carry a header and raw
 * bytes. Kind 1 (reply) is what Lightning sends for {@code fetch:dataclip}: {@code u8 kind=1, u8
 * len(join_ref), u8 len(ref), u8 len(topic), u8 len(status), join_ref, ref, topic, status, body}.
 */
public final class FrameCodec {
  static final int KIND_PUSH = 0;
  static final int KIND_REPLY = 1;
  static final int KIND_BROADCAST = 2;

  private static final ObjectMapper MAPPER = LightningJson.mapper();

  private FrameCodec() {}

  /**
   * A text frame. The payload may be anything Jackson writes (a record, a map, a {@link JsonNode},
   * a {@code RawJson}); null is written as {@code {}}, as phoenix.js sends for an undefined
   * payload.
   */
  public static String encode(String joinRef, String ref, String topic, String event, Object payload) {
    StringWriter out = new StringWriter();
    try {
      encodeTo(out, joinRef, ref, topic, event, payload);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the payload of " + event + " on " + topic, e);
    }
    return out.toString();
  }

  /** As {@link #encode}, written into {@code out} (the socket's partial frames for a large payload). */
  static void encodeTo(Writer out, String joinRef, String ref, String topic, String event, Object payload)
      throws IOException {
    try (JsonGenerator gen = MAPPER.getFactory().createGenerator(out)) {
      gen.writeStartArray();
      gen.writeString(joinRef);
      gen.writeString(ref);
      gen.writeString(topic);
      gen.writeString(event);
      if (payload == null) {
        gen.writeStartObject();
        gen.writeEndObject();
      } else {
        MAPPER.writeValue(gen, payload);
      }
      gen.writeEndArray();
    }
  }

  /** A text frame around a payload that is already JSON text (serialised off the event loop). */
  static String encodeWithPayloadJson(String joinRef, String ref, String topic, String event, String payloadJson) {
    String head = encode(joinRef, ref, topic, event, null);
    // head ends with ",{}]": replace the placeholder payload
    return head.substring(0, head.length() - 3) + payloadJson + "]";
  }

  /** A server reply text frame: {@code [join_ref, ref, topic, "phx_reply", {status, response}]}. */
  public static String encodeReply(
      String joinRef, String ref, String topic, String status, Object response) {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("status", status);
    payload.set("response", response == null ? null : MAPPER.valueToTree(response));
    return encode(joinRef, ref, topic, "phx_reply", payload);
  }

  /** Decodes a text frame; throws {@link FrameException} if it is not a 5-element JSON array. */
  public static Frame decodeText(String text) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(text);
    } catch (IOException e) {
      throw new FrameException("frame is not JSON: " + abbreviate(text), e);
    }
    if (!(tree instanceof ArrayNode array) || array.size() != 5) {
      throw new FrameException("frame is not a 5-element array: " + abbreviate(text));
    }
    return new Frame(
        textOrNull(array.get(0)),
        textOrNull(array.get(1)),
        requireText(array.get(2), "topic", text),
        requireText(array.get(3), "event", text),
        array.get(4));
  }

  /**
   * Decodes a binary frame. A reply (kind 1) becomes event {@code phx_reply} with payload {@code
   * {"status": ...}} and the raw bytes as {@link Frame#binaryBody()}; a push (kind 0) or broadcast
   * (kind 2) keeps its event and its data as the binary body.
   */
  public static Frame decodeBinary(ByteBuffer buffer) {
    ByteBuffer in = buffer.duplicate();
    try {
      int kind = Byte.toUnsignedInt(in.get());
      return switch (kind) {
        case KIND_PUSH -> {
          int joinRefSize = Byte.toUnsignedInt(in.get());
          int topicSize = Byte.toUnsignedInt(in.get());
          int eventSize = Byte.toUnsignedInt(in.get());
          String joinRef = string(in, joinRefSize);
          String topic = string(in, topicSize);
          String event = string(in, eventSize);
          yield new Frame(joinRef, null, topic, event, null, rest(in));
        }
        case KIND_REPLY -> {
          int joinRefSize = Byte.toUnsignedInt(in.get());
          int refSize = Byte.toUnsignedInt(in.get());
          int topicSize = Byte.toUnsignedInt(in.get());
          int statusSize = Byte.toUnsignedInt(in.get());
          String joinRef = string(in, joinRefSize);
          String ref = string(in, refSize);
          String topic = string(in, topicSize);
          String status = string(in, statusSize);
          ObjectNode payload = JsonNodeFactory.instance.objectNode().put("status", status);
          yield new Frame(joinRef, ref, topic, "phx_reply", payload, rest(in));
        }
        case KIND_BROADCAST -> {
          int topicSize = Byte.toUnsignedInt(in.get());
          int eventSize = Byte.toUnsignedInt(in.get());
          String topic = string(in, topicSize);
          String event = string(in, eventSize);
          yield new Frame(null, null, topic, event, null, rest(in));
        }
        default -> throw new FrameException("unknown binary frame kind " + kind);
      };
    } catch (java.nio.BufferUnderflowException e) {
      throw new FrameException("binary frame is shorter than its header says", e);
    }
  }

  /**
   * The length of a binary reply frame's header (kind 1: everything before the body), when
   * {@code prefix} (the frame's first {@code size} bytes) holds all of it; -1 for another kind
   * or a header not complete yet.
   */
  static int replyHeaderLength(byte[] prefix, int size) {
    if (size < 5 || prefix[0] != KIND_REPLY) {
      return -1;
    }
    int length = 5;
    for (int i = 1; i < 5; i++) {
      length += Byte.toUnsignedInt(prefix[i]);
    }
    return length <= size ? length : -1;
  }

  /** A binary reply frame (kind 1), as Phoenix encodes {@code {:reply, {:ok, {:binary, body}}}}. */
  public static byte[] encodeBinaryReply(
      String joinRef, String ref, String topic, String status, byte[] body) {
    byte[] j = headerField(joinRef == null ? "" : joinRef, "join_ref");
    byte[] r = headerField(ref == null ? "" : ref, "ref");
    byte[] t = headerField(topic, "topic");
    byte[] s = headerField(status, "status");
    ByteBuffer out = ByteBuffer.allocate(5 + j.length + r.length + t.length + s.length + body.length);
    out.put((byte) KIND_REPLY)
        .put((byte) j.length)
        .put((byte) r.length)
        .put((byte) t.length)
        .put((byte) s.length)
        .put(j)
        .put(r)
        .put(t)
        .put(s)
        .put(body);
    return out.array();
  }

  private static byte[] headerField(String value, String name) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 255) {
      throw new IllegalArgumentException(name + " is longer than 255 bytes: " + value);
    }
    return bytes;
  }

  private static String string(ByteBuffer in, int size) {
    byte[] bytes = new byte[size];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static byte[] rest(ByteBuffer in) {
    byte[] bytes = new byte[in.remaining()];
    in.get(bytes);
    return bytes;
  }

  private static String textOrNull(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static String requireText(JsonNode node, String what, String frame) {
    if (node == null || !node.isTextual()) {
      throw new FrameException("frame has no " + what + ": " + abbreviate(frame));
    }
    return node.asText();
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "… (" + text.length() + " chars)";
  }
}
