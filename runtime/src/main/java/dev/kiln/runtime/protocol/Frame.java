package dev.kiln.runtime.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One message between the parent (engine) and a run process.
 *
 * @param type the frame type, an ASCII word without spaces ({@link FrameType} lists them)
 * @param metaJson a JSON object as text (small: ids, durations, errors); never null, {@code "{}"} when empty
 * @param body the payload bytes, a state as UTF-8 JSON text, or empty; the codec never parses it
 */
public record Frame(String type, String metaJson, byte[] body) {
  private static final byte[] EMPTY = new byte[0];

  public Frame {
    Objects.requireNonNull(type, "type");
    if (type.isEmpty() || !type.chars().allMatch(c -> c > ' ' && c < 127)) {
      throw new IllegalArgumentException("frame type must be a non-empty ASCII word: '" + type + "'");
    }
    metaJson = metaJson == null || metaJson.isEmpty() ? "{}" : metaJson;
    body = body == null ? EMPTY : body;
  }

  /** A frame with metadata and no body. */
  public static Frame of(String type, String metaJson) {
    return new Frame(type, metaJson, EMPTY);
  }

  /** A frame whose body is the given text, encoded as UTF-8. */
  public static Frame withBody(String type, String metaJson, String body) {
    return new Frame(type, metaJson, body == null ? EMPTY : body.getBytes(StandardCharsets.UTF_8));
  }

  /** The body decoded as UTF-8 (a JSON state, or the empty string). */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "Frame[" + type + " " + metaJson + " +" + body.length + " body bytes]";
  }
}
