package dev.kiln.runtime.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the frames {@link FrameWriter} writes. Not thread-safe: one reader thread per stream. The
 * header is read byte by byte: give it a buffered stream (a process' stdout from
 * {@code Process.getInputStream()} already is).
 *
 * <p>A body is read into one array of its exact size (no second copy while reading); that array
 * is allocated in full only once its first megabyte has arrived, so a header alone cannot make
 * the reader allocate a large array. With a body limit, larger bodies are read and dropped:
 * the frame comes with an empty body and its {@link Frame#bodyLength()}.
 */
public final class FrameReader {
  private static final int MAX_HEADER_BYTES = 256;
  private static final int FIRST_CHUNK = 1 << 20;
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
    byte[] body;
    if (bodyLength > maxBodyBytes) {
      drop(bodyLength, parts[0]);
      body = null;
    } else {
      body = readExactly(bodyLength, parts[0]);
    }
    try {
      return new Frame(parts[0], meta, body, bodyLength);
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

  private void drop(int length, String type) throws IOException {
    byte[] scratch = new byte[64 * 1024];
    int dropped = 0;
    while (dropped < length) {
      int n = in.read(scratch, 0, Math.min(scratch.length, length - dropped));
      if (n < 0) {
        throw ended(type, dropped, length);
      }
      dropped += n;
    }
  }

  private static ProtocolException ended(String type, int read, int length) {
    return new ProtocolException("stream ended inside a '" + type + "' frame (" + read + " of " + length + " bytes)");
  }
}
