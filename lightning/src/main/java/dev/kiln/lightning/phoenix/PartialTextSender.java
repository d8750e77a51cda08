package dev.kiln.lightning.phoenix;

import java.io.IOException;
import java.io.Writer;
import java.net.http.WebSocket;
import java.nio.CharBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Writes one text message into a {@link WebSocket} as a sequence of partial frames ({@code
 * sendText(chunk, false)} ... {@code sendText(last, true)}), each sent before the next is
 * filled: the message is never held whole. A chunk never ends between the two halves of a
 * surrogate pair (the half waits for the next chunk), so each chunk is valid UTF-16 on its own.
 */
final class PartialTextSender extends Writer {
  static final int CHUNK_CHARS = 32 * 1024;

  /** Writes a message's text into a writer; called once, on the sending thread. */
  @FunctionalInterface
  interface Message {
    void writeTo(Writer out) throws IOException;
  }

  private final WebSocket socket;
  private final char[] chunk;
  private int filled;

  PartialTextSender(WebSocket socket, int chunkChars) {
    if (chunkChars < 2) {
      throw new IllegalArgumentException("a chunk needs room for a surrogate pair");
    }
    this.socket = socket;
    this.chunk = new char[chunkChars];
  }

  /** Sends {@code message} on a thread of its own; the future completes when its last frame was sent. */
  static CompletableFuture<Void> send(WebSocket socket, Message message) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread.ofVirtual().name("phoenix-send").start(() -> {
      try {
        PartialTextSender out = new PartialTextSender(socket, CHUNK_CHARS);
        message.writeTo(out);
        out.finish();
        done.complete(null);
      } catch (IOException | RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    return done;
  }

  @Override
  public void write(char[] chars, int offset, int length) throws IOException {
    while (length > 0) {
      int n = Math.min(length, chunk.length - filled);
      System.arraycopy(chars, offset, chunk, filled, n);
      filled += n;
      offset += n;
      length -= n;
      if (filled == chunk.length) {
        sendChunk(false);
      }
    }
  }

  /** Sends what is left as the message's last frame. */
  void finish() throws IOException {
    sendChunk(true);
  }

  private void sendChunk(boolean last) throws IOException {
    int n = filled;
    if (!last && Character.isHighSurrogate(chunk[n - 1])) {
      n--; // its low half comes with the next chunk
    }
    try {
      socket.sendText(CharBuffer.wrap(chunk, 0, n), last).join();
    } catch (CompletionException e) {
      throw new IOException("sending a message failed: " + e.getCause(), e.getCause());
    }
    if (n < filled) {
      chunk[0] = chunk[n];
    }
    filled -= n;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
