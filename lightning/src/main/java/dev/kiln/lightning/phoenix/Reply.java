package dev.kiln.lightning.phoenix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.kiln.lightning.protocol.LightningJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The outcome of a push: the server's reply, or a local timeout.
 *
 * <p>Payloads are read leniently: Lightning replies with an object, {@code {}} or {@code null};
 * lightning-mock also with strings and byte arrays; a binary reply frame carries raw bytes.
 *
 * @param status {@code OK}, {@code ERROR}, or local: {@code TIMEOUT}, {@code DISCONNECTED}
 * @param response the reply's {@code response} (JSON null when absent or binary)
 * @param body the raw body of a binary reply frame, else null
 * @param bodyFile the file holding a large binary reply's body (the socket's spill folder:
 *     move or delete it once used), else null
 */
public record Reply(Status status, JsonNode response, byte[] body, Path bodyFile) {
  public enum Status {
    OK,
    ERROR,
    /** No reply within the push's timeout (local). */
    TIMEOUT,
    /**
     * The push was sent (or about to be) when the socket dropped, or its channel was closed: the
     * server may or may not have received it; the caller decides whether to send it again.
     */
    DISCONNECTED
  }

  public Reply {
    response = response == null ? NullNode.instance : response;
  }

  public Reply(Status status, JsonNode response, byte[] body) {
    this(status, response, body, null);
  }

  public static Reply timeout() {
    return new Reply(Status.TIMEOUT, null, null);
  }

  static Reply disconnected(String why) {
    return new Reply(Status.DISCONNECTED, com.fasterxml.jackson.databind.node.TextNode.valueOf(why), null);
  }

  public static Reply ok(JsonNode response) {
    return new Reply(Status.OK, response, null);
  }

  public static Reply error(JsonNode response) {
    return new Reply(Status.ERROR, response, null);
  }

  /**
   * The reply carried by a {@code phx_reply} / {@code chan_reply_<ref>} frame. A payload without a
   * {@code status} (or one that is not an object) counts as an {@code ok} whose response is the
   * payload; a payload that is a JSON string holding an object is parsed first.
   */
  static Reply fromFrame(Frame frame) {
    JsonNode payload = Payloads.lenient(frame.payload());
    if (!payload.isObject() || !payload.has("status")) {
      return new Reply(Status.OK, payload, frame.binaryBody(), frame.bodyFile());
    }
    Status status =
        switch (payload.path("status").asText()) {
          case "ok" -> Status.OK;
          case "timeout" -> Status.TIMEOUT;
          default -> Status.ERROR;
        };
    return new Reply(status, payload.get("response"), frame.binaryBody(), frame.bodyFile());
  }

  public boolean isOk() {
    return status == Status.OK;
  }

  /**
   * The response as JSON text, whatever its encoding: a binary body or an array of byte values is
   * decoded as UTF-8, a string is returned as it is (the mock sends JSON in strings), anything
   * else is written as JSON. A body in a file is read whole: take {@link #bodyFile()} instead where
   * it may be large.
   */
  public String responseText() {
    if (bodyFile != null) {
      try {
        return Files.readString(bodyFile, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (body != null) {
      return new String(body, StandardCharsets.UTF_8);
    }
    if (response.isTextual()) {
      return response.asText();
    }
    if (isByteArray(response)) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(response.size());
      response.forEach(b -> bytes.write(b.intValue()));
      return bytes.toString(StandardCharsets.UTF_8);
    }
    return LightningJson.write(response);
  }

  /**
   * How the reference words a failed push ({@code util/send-event.ts}): {@code [<event>]
   * timeout}, or {@code [<event>] <response as string or JSON>}.
   */
  public String describe(String event) {
    if (status == Status.TIMEOUT) {
      return "[" + event + "] timeout";
    }
    String detail =
        body != null || bodyFile != null
            ? responseText()
            : response.isTextual() ? response.asText() : LightningJson.write(response);
    return "[" + event + "] " + detail;
  }

  private static boolean isByteArray(JsonNode node) {
    if (!node.isArray() || node.isEmpty()) {
      return false;
    }
    for (JsonNode element : node) {
      if (!element.isIntegralNumber() || element.intValue() < 0 || element.intValue() > 255) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return status + " " + (body != null ? "<" + body.length + " bytes>"
        : bodyFile != null ? "<" + bodyFile + ">" : response.toString());
  }
}
