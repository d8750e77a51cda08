package dev.kiln.runtime.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
  private static final ObjectMapper JSON = new ObjectMapper();
  private final OutputStream out;

  public FrameWriter(OutputStream out) {
    this.out = out;
  }

  public synchronized void write(Frame frame) throws IOException {
    byte[] meta = frame.metaJson().getBytes(StandardCharsets.UTF_8);
    writeHeader(frame.type(), meta.length, frame);
    out.write(meta);
    writeBody(frame);
  }

  /**
   * Writes a frame whose meta is {@code meta} as JSON, serialised straight into the stream (once to
   * count its bytes, once to write them) instead of held as text: a run frame's plan can be a job
   * of many MB.
   */
  public synchronized void write(String type, JsonNode meta, Body body) throws IOException {
    Frame bodyOf = Frame.withBody(type, "{}", body);
    CountingStream counter = new CountingStream();
    JSON.writeValue(counter, meta);
    writeHeader(type, counter.count, bodyOf);
    CountingStream written = new CountingStream(out);
    JSON.writeValue(written, meta);
    if (written.count != counter.count) {
      throw new IOException("the meta changed while it was written (" + counter.count + " then " + written.count
          + " bytes): the frame is broken");
    }
    writeBody(bodyOf);
  }

  private void writeHeader(String type, long metaLength, Frame frame) throws IOException {
    int bodyLength = frame.bodyFile() == null ? frame.body().length : frame.bodyLength();
    out.write((type + " " + metaLength + " " + bodyLength + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  private void writeBody(Frame frame) throws IOException {
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

  /** Counts the bytes written through it, to {@code target} or nowhere; never closes the target. */
  private static final class CountingStream extends OutputStream {
    private final OutputStream target;
    long count;

    CountingStream() {
      this(OutputStream.nullOutputStream());
    }

    CountingStream(OutputStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
      target.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      target.write(b, off, len);
      count += len;
    }

    @Override
    public void flush() throws IOException {
      target.flush();
    }

    @Override
    public void close() {}
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
