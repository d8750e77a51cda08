package dev.kiln.runtime.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes frames as {@code <type> <metaLength> <bodyLength>\n<meta bytes><body bytes>}; lengths
 * are byte counts. Thread-safe: each frame is written and flushed atomically.
 */
public final class FrameWriter implements AutoCloseable {
  private final OutputStream out;

  public FrameWriter(OutputStream out) {
    this.out = out;
  }

  public synchronized void write(Frame frame) throws IOException {
    byte[] meta = frame.metaJson().getBytes(StandardCharsets.UTF_8);
    String header = frame.type() + " " + meta.length + " " + frame.body().length + "\n";
    out.write(header.getBytes(StandardCharsets.US_ASCII));
    out.write(meta);
    out.write(frame.body());
    out.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
