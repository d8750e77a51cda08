package dev.kiln.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.lightning.phoenix.Frame;
import dev.kiln.lightning.phoenix.FrameCodec;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A raw Phoenix V2 client for tests (the JDK WebSocket client): sends frames as a worker would
 * and waits for frames with a timeout. Not the worker's client: the tests check wire behaviour.
 */
final class PhoenixTestClient implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final WebSocket socket;
  private final LinkedBlockingQueue<Frame> inbox;
  private final List<Frame> seen = new ArrayList<>();
  private final AtomicInteger refs = new AtomicInteger();
  final CompletableFuture<Integer> closed;

  private PhoenixTestClient(WebSocket socket, LinkedBlockingQueue<Frame> inbox, CompletableFuture<Integer> closed) {
    this.socket = socket;
    this.inbox = inbox;
    this.closed = closed;
  }

  static PhoenixTestClient connect(String url) throws Exception {
    LinkedBlockingQueue<Frame> inbox = new LinkedBlockingQueue<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create(url), new WebSocket.Listener() {
          private final StringBuilder text = new StringBuilder();
          private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
              inbox.add(FrameCodec.decodeText(text.toString()));
              text.setLength(0);
            }
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
              inbox.add(FrameCodec.decodeBinary(ByteBuffer.wrap(binary.toByteArray())));
              binary.reset();
            }
            ws.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
          }

          @Override
          public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
          }
        }).get(10, TimeUnit.SECONDS);
    return new PhoenixTestClient(socket, inbox, closed);
  }

  /** Sends a frame and returns its ref. */
  String push(String joinRef, String topic, String event, Object payload) {
    String ref = Integer.toString(refs.incrementAndGet());
    sendRaw(FrameCodec.encode(joinRef, ref, topic, event, payload));
    return ref;
  }

  /** {@code phx_join}; the join ref is the push's ref. Returns the reply. */
  Frame join(String topic, Object payload) throws InterruptedException {
    String ref = push(null, topic, "phx_join", payload);
    Frame reply = awaitReply(ref);
    lastJoinRef = ref;
    return reply;
  }

  String lastJoinRef;

  /** Pushes on a joined channel (join ref = the latest join) and waits for the reply. */
  Frame call(String topic, String event, Object payload) throws InterruptedException {
    return awaitReply(push(lastJoinRef, topic, event, payload));
  }

  void sendRaw(String text) {
    socket.sendText(text, true).join();
  }

  /** The reply to {@code ref}: a {@code phx_reply} or a lightning-mock {@code chan_reply_<ref>}. */
  Frame awaitReply(String ref) throws InterruptedException {
    return await(frame -> ref.equals(frame.ref())
        && (frame.event().equals("phx_reply") || frame.event().equals("chan_reply_" + ref)), "reply to " + ref);
  }

  Frame await(Predicate<Frame> match, String what) throws InterruptedException {
    for (Frame frame : seen) {
      if (match.test(frame)) {
        seen.remove(frame);
        return frame;
      }
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Frame frame = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      assertThat(frame).as("waiting for " + what + "; got so far: " + seen).isNotNull();
      if (match.test(frame)) {
        return frame;
      }
      seen.add(frame);
    }
  }

  /** No frame matching within {@code quiet} (used only where the absence is the behaviour). */
  boolean receivesWithin(Predicate<Frame> match, Duration quiet) throws InterruptedException {
    if (seen.stream().anyMatch(match)) {
      return true;
    }
    long deadline = System.nanoTime() + quiet.toNanos();
    Frame frame;
    while ((frame = inbox.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null) {
      if (match.test(frame)) {
        return true;
      }
      seen.add(frame);
    }
    return false;
  }

  static String status(Frame reply) {
    return reply.payload().path("status").asText();
  }

  static JsonNode response(Frame reply) {
    return reply.payload().path("response");
  }

  @Override
  public void close() {
    socket.abort();
  }
}
