package dev.kiln.runtime.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the frames {@link FrameWriter} writes. Not thread-safe: one reader thread per stream. The
 * header is read byte by byte: give it a buffered stream (a process' stdout from
 * {@code Process.getInputStream()} already is).
 */
public final class FrameReader {
  private static final int MAX_HEADER_BYTES = 256;
  private final InputStream in;

  public FrameReader(InputStream in) {
    this.in = in;
  }

  /**
   * The next frame, or {@code null} at a clean end of stream (between frames).
   *
   * @throws ProtocolException on a malformed header or a stream that ends inside a frame
   */
  public Frame read() throws IOException {
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
    byte[] body = readExactly(bodyLength, parts[0]);
    try {
      return new Frame(parts[0], meta, body);
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
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new ProtocolException(
          "stream ended inside a '" + type + "' frame (" + bytes.length + " of " + length + " bytes)");
    }
    return bytes;
  }
}
