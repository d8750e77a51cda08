package dev.kiln.runtime.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Writes frames as {@code <type> <metaLength> <bodyLength>\n<meta bytes><body bytes>}; lengths
 * are byte counts. A body in a file ({@link Frame#bodyFile()}) is copied from it piece by piece.
 * Thread-safe: each frame is written and flushed atomically.
 */
public final class FrameWriter implements AutoCloseable {
  private final OutputStream out;

  public FrameWriter(OutputStream out) {
    this.out = out;
  }

  public synchronized void write(Frame frame) throws IOException {
    byte[] meta = frame.metaJson().getBytes(StandardCharsets.UTF_8);
    int bodyLength = frame.bodyFile() == null ? frame.body().length : frame.bodyLength();
    String header = frame.type() + " " + meta.length + " " + bodyLength + "\n";
    out.write(header.getBytes(StandardCharsets.US_ASCII));
    out.write(meta);
    if (frame.bodyFile() == null) {
      out.write(frame.body());
    } else {
      long copied = Files.copy(frame.bodyFile(), out);
      if (copied != frame.bodyLength()) {
        throw new IOException("the body file " + frame.bodyFile() + " has " + copied + " bytes, not "
            + frame.bodyLength() + ": the frame is broken");
      }
    }
    out.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
