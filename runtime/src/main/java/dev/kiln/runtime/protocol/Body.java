package dev.kiln.runtime.protocol;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The body of a frame, usually a state as UTF-8 JSON text: small ones are bytes in memory, large
 * ones a file (a {@link FrameReader} with a spill folder writes bodies over {@link
 * FrameReader#SPILL_THRESHOLD_BYTES} there as they come off the pipe). Whoever created the file
 * owns it: a body never deletes it. Immutable.
 */
public final class Body {
  private static final byte[] NO_BYTES = new byte[0];
  private static final Body EMPTY = new Body(NO_BYTES, null, 0);

  private final byte[] bytes;
  private final Path file;
  private final long length;

  private Body(byte[] bytes, Path file, long length) {
    this.bytes = bytes;
    this.file = file;
    this.length = length;
  }

  /** The bytes, held as they are (not copied). */
  public static Body of(byte[] bytes) {
    return bytes == null || bytes.length == 0 ? EMPTY : new Body(bytes, null, bytes.length);
  }

  /** The text, encoded as UTF-8. */
  public static Body ofText(String text) {
    return text == null ? EMPTY : of(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The whole content of {@code file}, {@code length} bytes. */
  public static Body inFile(Path file, long length) {
    return new Body(null, Objects.requireNonNull(file, "file"), length);
  }

  /** The whole content of {@code file} as it is now. */
  public static Body inFile(Path file) throws IOException {
    return inFile(file, Files.size(file));
  }

  /** The body's size in bytes (known without reading it). */
  public long length() {
    return length;
  }

  public boolean isEmpty() {
    return length == 0;
  }

  /** The file that holds the body, or null when it is in memory. */
  public Path file() {
    return file;
  }

  /** The bytes of a body in memory (not a copy: do not change them). */
  byte[] bytesInMemory() {
    if (file != null) {
      throw new IllegalStateException("the body is in " + file);
    }
    return bytes;
  }

  /** The body's bytes from the start (a new stream each time; close it). */
  public InputStream open() throws IOException {
    return file == null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
  }

  /**
   * The body decoded as UTF-8. This reads a file body into memory whole: only for callers that
   * need the text (a one-shot command, tests), never on the worker's path of large states.
   */
  public String text() {
    if (file == null) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the state in " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether the first byte is {@code ascii} (a JSON object's body starts with {@code '{'}). */
  public boolean startsWith(char ascii) {
    if (length == 0) {
      return false;
    }
    if (file == null) {
      return bytes[0] == ascii;
    }
    try (InputStream in = open()) {
      return in.read() == ascii;
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether both bodies hold the same bytes; two files are compared 64 KB at a time. */
  public boolean sameBytes(Body other) throws IOException {
    if (other == this) {
      return true;
    }
    if (other == null || other.length != length) {
      return false;
    }
    if (file == null && other.file == null) {
      return Arrays.equals(bytes, other.bytes);
    }
    try (InputStream a = open(); InputStream b = other.open()) {
      byte[] x = new byte[64 * 1024];
      byte[] y = new byte[x.length];
      while (true) {
        int n = a.readNBytes(x, 0, x.length);
        if (n == 0) {
          return true;
        }
        if (b.readNBytes(y, 0, n) != n || !Arrays.equals(x, 0, n, y, 0, n)) {
          return false;
        }
      }
    }
  }

  @Override
  public String toString() {
    return "Body[" + length + " bytes" + (file == null ? "]" : " in " + file + "]");
  }
}
