package dev.kiln.lightning.phoenix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PartialTextSenderTest {
  /** The other end of the wire, as the sender sees it: records every frame it is given. */
  private static final class RecordingSocket implements WebSocket {
    final List<String> chunks = new ArrayList<>();
    final List<Boolean> lastFlags = new ArrayList<>();
    int failAt = -1;

    @Override
    public CompletableFuture<WebSocket> sendText(CharSequence data, boolean last) {
      if (chunks.size() == failAt) {
        return CompletableFuture.failedFuture(new IOException("connection reset"));
      }
      chunks.add(data.toString());
      lastFlags.add(last);
      return CompletableFuture.completedFuture(this);
    }

    @Override
    public CompletableFuture<WebSocket> sendBinary(ByteBuffer data, boolean last) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<WebSocket> sendPing(ByteBuffer message) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<WebSocket> sendPong(ByteBuffer message) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<WebSocket> sendClose(int statusCode, String reason) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void request(long n) {}

    @Override
    public String getSubprotocol() {
      return "";
    }

    @Override
    public boolean isOutputClosed() {
      return false;
    }

    @Override
    public boolean isInputClosed() {
      return false;
    }

    @Override
    public void abort() {}
  }

  @Test
  void aMessageGoesOutInChunksThatNeverSplitASurrogatePair() throws IOException {
    RecordingSocket socket = new RecordingSocket();
    PartialTextSender out = new PartialTextSender(socket, 8);
    StringBuilder message = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      message.append("x".repeat(i % 11)).append("😀😀é\n");
    }
    // written in uneven pieces, as a JSON generator does
    for (int i = 0; i < message.length(); i += 5) {
      out.write(message.substring(i, Math.min(message.length(), i + 5)));
    }
    out.finish();

    assertThat(String.join("", socket.chunks)).isEqualTo(message.toString());
    assertThat(socket.lastFlags.subList(0, socket.lastFlags.size() - 1)).containsOnly(false);
    assertThat(socket.lastFlags.get(socket.lastFlags.size() - 1)).isTrue();
    for (String chunk : socket.chunks) {
      assertThat(chunk.length()).isLessThanOrEqualTo(8);
      assertThat(Character.isLowSurrogate(chunk.isEmpty() ? 'x' : chunk.charAt(0))
          || chunk.isEmpty() || Character.isHighSurrogate(chunk.charAt(chunk.length() - 1)))
          .as("chunk '%s' starts or ends inside a surrogate pair", chunk).isFalse();
    }
    assertThat(socket.chunks.stream().filter(c -> c.length() == 7)).as("some chunks held a high surrogate back").isNotEmpty();
  }

  @Test
  void aShortMessageIsOneFinalFrame() throws Exception {
    RecordingSocket socket = new RecordingSocket();
    PartialTextSender.send(socket, out -> out.write("[\"1\",\"2\",\"t\",\"e\",{}]")).get(5, TimeUnit.SECONDS);
    assertThat(socket.chunks).containsExactly("[\"1\",\"2\",\"t\",\"e\",{}]");
    assertThat(socket.lastFlags).containsExactly(true);
  }

  @Test
  void aFailedFrameFailsTheMessage() {
    RecordingSocket socket = new RecordingSocket();
    socket.failAt = 2;
    CompletableFuture<Void> sent = PartialTextSender.send(socket, out -> out.write("y".repeat(PartialTextSender.CHUNK_CHARS * 4)));
    assertThatThrownBy(() -> sent.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .hasRootCauseMessage("connection reset");
    assertThat(socket.chunks).hasSize(2);
  }
}
