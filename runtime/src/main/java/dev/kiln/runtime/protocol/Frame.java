package dev.kiln.runtime.protocol;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One message between the parent (engine) and a run process.
 *
 * @param type the frame type, an ASCII word without spaces ({@link FrameType} lists them)
 * @param metaJson a JSON object as text (small: ids, durations, errors); never null, {@code "{}"} when empty
 * @param body the payload bytes, a state as UTF-8 JSON text, or empty; the codec never parses it
 * @param bodyLength the body's length on the wire: more than {@code body.length} (then {@code body}
 *     is empty) when a {@link FrameReader} with a body limit dropped it, or spilled it to {@code bodyFile}
 * @param bodyFile the file that holds the body (then {@code body} is empty), or null
 */
public record Frame(String type, String metaJson, byte[] body, int bodyLength, Path bodyFile) {
  private static final byte[] EMPTY = new byte[0];

  public Frame {
    Objects.requireNonNull(type, "type");
    if (type.isEmpty() || !type.chars().allMatch(c -> c > ' ' && c < 127)) {
      throw new IllegalArgumentException("frame type must be a non-empty ASCII word: '" + type + "'");
    }
    metaJson = metaJson == null || metaJson.isEmpty() ? "{}" : metaJson;
    body = body == null ? EMPTY : body;
    if (body.length > 0 && (bodyLength != body.length || bodyFile != null) || bodyLength < 0) {
      throw new IllegalArgumentException("a body of " + body.length + " bytes cannot have length " + bodyLength);
    }
  }

  /** A frame with the whole body. */
  public Frame(String type, String metaJson, byte[] body) {
    this(type, metaJson, body, body == null ? 0 : body.length, null);
  }

  /** A frame whose body is {@code body}, in memory or in its file. */
  public static Frame withBody(String type, String metaJson, Body body) {
    if (body.file() == null) {
      return new Frame(type, metaJson, body.bytesInMemory());
    }
    if (body.length() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a frame body cannot exceed 2 GB: " + body);
    }
    return new Frame(type, metaJson, EMPTY, (int) body.length(), body.file());
  }

  /** True when the reader dropped this frame's body for its size ({@link #bodyLength()} says how big it was). */
  public boolean bodyDropped() {
    return bodyFile == null && body.length < bodyLength;
  }

  /** The body, in memory or in its file (empty when it was dropped). */
  public Body content() {
    return bodyFile != null ? Body.inFile(bodyFile, bodyLength) : Body.of(body);
  }

  /** A frame with metadata and no body. */
  public static Frame of(String type, String metaJson) {
    return new Frame(type, metaJson, EMPTY);
  }

  /** A frame whose body is the given text, encoded as UTF-8. */
  public static Frame withBody(String type, String metaJson, String body) {
    return new Frame(type, metaJson, body == null ? EMPTY : body.getBytes(StandardCharsets.UTF_8));
  }

  /** The body decoded as UTF-8 (a JSON state, or the empty string); reads a spilled body whole. */
  public String bodyText() {
    return bodyFile == null ? new String(body, StandardCharsets.UTF_8) : content().text();
  }

  @Override
  public String toString() {
    return "Frame[" + type + " " + metaJson + " +" + bodyLength + " body bytes"
        + (bodyDropped() ? ", dropped]" : bodyFile != null ? " in " + bodyFile + "]" : "]");
  }
}
