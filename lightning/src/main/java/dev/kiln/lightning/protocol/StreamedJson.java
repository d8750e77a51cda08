package dev.kiln.lightning.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A JSON value whose text is a file (a large state), put into a payload as a {@code POJONode}
 * and written from the file whenever the payload is written, 8 K characters at a time, never
 * held in memory: as a JSON string ({@code step:complete}'s {@code output_dataclip}, escaped on
 * the fly) or verbatim ({@code run:complete}'s {@code final_state}, a JSON object). The file's
 * UTF-8 is decoded across read boundaries by the reader; invalid bytes become U+FFFD, as in a
 * JavaScript string. Writing a payload that holds one into a {@code String} ({@code toString()})
 * reads the whole file into that string: the socket streams it instead.
 */
public final class StreamedJson implements JsonSerializable {
  private final Path file;
  private final long length;
  private final boolean asString;

  private StreamedJson(Path file, long length, boolean asString) {
    this.file = Objects.requireNonNull(file, "file");
    this.length = length;
    this.asString = asString;
  }

  /** The file's text as a JSON string value. */
  public static StreamedJson string(Path file, long length) {
    return new StreamedJson(file, length, true);
  }

  /** The file's text, which must be valid JSON, as the value itself. */
  public static StreamedJson raw(Path file, long length) {
    return new StreamedJson(file, length, false);
  }

  public Path file() {
    return file;
  }

  /** The file's size in bytes. */
  public long length() {
    return length;
  }

  /** Whether it is written as a JSON string (else verbatim). */
  public boolean asString() {
    return asString;
  }

  @Override
  public void serialize(JsonGenerator gen, SerializerProvider serializers) throws IOException {
    try (Reader text = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8)) {
      if (asString) {
        gen.writeString(text, -1);
        return;
      }
      char[] chunk = new char[8192];
      boolean first = true;
      for (int n; (n = text.read(chunk)) > 0; first = false) {
        if (first) {
          gen.writeRawValue(chunk, 0, n);
        } else {
          gen.writeRaw(chunk, 0, n);
        }
      }
      if (first) {
        gen.writeNull(); // an empty file is no JSON value
      }
    }
  }

  @Override
  public void serializeWithType(JsonGenerator gen, SerializerProvider serializers, TypeSerializer typeSer)
      throws IOException {
    serialize(gen, serializers);
  }

  @Override
  public String toString() {
    return (asString ? "string" : "raw") + " JSON of " + length + " bytes in " + file;
  }
}
