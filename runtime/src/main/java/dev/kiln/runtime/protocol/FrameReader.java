package dev.kiln.runtime.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the frames {@link FrameWriter} writes. Not thread-safe: one reader thread per stream. The
 * header is read byte by byte: give it a buffered stream (a process' stdout from
 * {@code Process.getInputStream()} already is).
 *
 * <p>A body is read into one array of its exact size (no second copy while reading); that array
 * is allocated in full only once its first megabyte has arrived, so a header alone cannot make
 * the reader allocate a large array. With a body limit, larger bodies are read and dropped:
 * the frame comes with an empty body and its {@link Frame#bodyLength()}. With a spill folder, a
 * body over {@link #SPILL_THRESHOLD_BYTES} is copied from the stream into a new file there, 64 KB
 * at a time, and the frame refers to it ({@link Frame#bodyFile()}): a large state is never held in
 * memory. The file belongs to the caller.
 */
public final class FrameReader {
  private static final int MAX_HEADER_BYTES = 256;
  private static final int FIRST_CHUNK = 1 << 20;
  /** Bodies larger than this go to a file when the reader has a spill folder. */
  public static final int SPILL_THRESHOLD_BYTES = 256 * 1024;
  private final InputStream in;
  private final int maxBodyBytes;

  public FrameReader(InputStream in) {
    this(in, Integer.MAX_VALUE);
  }

  /** A reader that keeps bodies of at most {@code maxBodyBytes} and drops larger ones. */
  public FrameReader(InputStream in, int maxBodyBytes) {
    this.in = in;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * The next frame, or {@code null} at a clean end of stream (between frames).
   *
   * @throws ProtocolException on a malformed header or a stream that ends inside a frame
   */
  public Frame read() throws IOException {
    return read(maxBodyBytes);
  }

  /**
   * As {@link #read()}, keeping a body only up to {@code maxBodyBytes} (a stream that carries
   * several runs, each with its own limits).
   */
  public Frame read(int maxBodyBytes) throws IOException {
    return read(maxBodyBytes, null);
  }

  /**
   * As {@link #read(int)}; a kept body over {@link #SPILL_THRESHOLD_BYTES} is written to a new
   * file in {@code spillDir} (when not null) instead of memory.
   */
  public Frame read(int maxBodyBytes, Path spillDir) throws IOException {
    String header = readHeaderLine();
    if (header == null) {
      return null;
    }
    String[] parts = header.split(" ", -1);
    if (parts.length != 3) {
      throw new ProtocolException("bad frame header: '" + header + "'");
    }
    int metaLength = parseLength(parts[1], header);
    int bodyLength = parseLength(parts[2], header);
    String meta = new String(readExactly(metaLength, parts[0]), StandardCharsets.UTF_8);
    byte[] body = null;
    Path bodyFile = null;
    if (bodyLength > maxBodyBytes) {
      copyBody(bodyLength, parts[0], OutputStream.nullOutputStream());
    } else if (spillDir != null && bodyLength > SPILL_THRESHOLD_BYTES) {
      bodyFile = spill(bodyLength, parts[0], spillDir);
    } else {
      body = readExactly(bodyLength, parts[0]);
    }
    try {
      return new Frame(parts[0], meta, body, bodyLength, bodyFile);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(e.getMessage());
    }
  }

  private String readHeaderLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    while (true) {
      int b = in.read();
      if (b == -1) {
        if (line.size() == 0) {
          return null;
        }
        throw new ProtocolException("stream ended inside a frame header");
      }
      if (b == '\n') {
        return line.toString(StandardCharsets.US_ASCII);
      }
      if (line.size() >= MAX_HEADER_BYTES) {
        throw new ProtocolException("frame header longer than " + MAX_HEADER_BYTES + " bytes");
      }
      line.write(b);
    }
  }

  private static int parseLength(String text, String header) throws ProtocolException {
    try {
      int n = Integer.parseInt(text);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ProtocolException("bad length in frame header: '" + header + "'");
  }

  private byte[] readExactly(int length, String type) throws IOException {
    byte[] bytes = new byte[Math.min(length, FIRST_CHUNK)];
    int read = in.readNBytes(bytes, 0, bytes.length);
    if (read == bytes.length && length > bytes.length) {
      bytes = Arrays.copyOf(bytes, length);
      read += in.readNBytes(bytes, read, length - read);
    }
    if (read != length) {
      throw ended(type, read, length);
    }
    return bytes;
  }

  /** Copies the body into a new file in {@code dir}; the file is removed again if that fails. */
  private Path spill(int length, String type, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = Files.createTempFile(dir, type + "-", ".json");
    boolean done = false;
    try (OutputStream out = Files.newOutputStream(file)) {
      copyBody(length, type, out);
      done = true;
      return file;
    } finally {
      if (!done) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** Reads {@code length} bytes of the stream into {@code out}, 64 KB at a time. */
  private void copyBody(int length, String type, OutputStream out) throws IOException {
    byte[] scratch = new byte[64 * 1024];
    int dropped = 0;
    while (dropped < length) {
      int n = in.read(scratch, 0, Math.min(scratch.length, length - dropped));
      if (n < 0) {
        throw ended(type, dropped, length);
      }
      out.write(scratch, 0, n);
      dropped += n;
    }
  }

  private static ProtocolException ended(String type, int read, int length) {
    return new ProtocolException("stream ended inside a '" + type + "' frame (" + read + " of " + length + " bytes)");
  }
}
