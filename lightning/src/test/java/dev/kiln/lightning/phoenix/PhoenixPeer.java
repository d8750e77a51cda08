package dev.kiln.lightning.phoenix;

import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket peer on 127.0.0.1 for the socket client's tests: records every frame the client
 * sends and lets the test answer (or not), push, and drop the connection. Optionally answers
 * heartbeats as Phoenix does.
 */
final class PhoenixPeer implements AutoCloseable {
  record Received(WsContext connection, Frame frame) {}

  private final Javalin app;
  final BlockingQueue<Received> frames = new LinkedBlockingQueue<>();
  final BlockingQueue<WsContext> connections = new LinkedBlockingQueue<>();
  final BlockingQueue<Map<String, java.util.List<String>>> queries = new LinkedBlockingQueue<>();
  final BlockingQueue<String> answeredHeartbeats = new LinkedBlockingQueue<>();
  volatile boolean answerHeartbeats = true;
  /** Answer every push (not joins) at once with {@code ok} and the push payload as response. */
  volatile boolean echoPushes;

  PhoenixPeer() {
    app = Javalin.create(config -> {
          config.showJavalinBanner = false;
          config.jetty.modifyWebSocketServletFactory(factory -> factory.setMaxTextMessageSize(64 * 1024 * 1024));
        })
        .ws("/worker/websocket", ws -> {
          ws.onConnect(ctx -> {
            queries.add(ctx.queryParamMap());
            connections.add(ctx);
          });
          ws.onMessage(ctx -> {
            Frame frame = FrameCodec.decodeText(ctx.message());
            if ("phoenix".equals(frame.topic()) && answerHeartbeats) {
              ctx.send(FrameCodec.encodeReply(null, frame.ref(), "phoenix", "ok", Map.of()));
              answeredHeartbeats.add(frame.ref());
              return;
            }
            if (echoPushes && !frame.event().startsWith("phx_")) {
              ctx.send(FrameCodec.encodeReply(frame.joinRef(), frame.ref(), frame.topic(), "ok", frame.payload()));
              return;
            }
            frames.add(new Received(ctx, frame));
          });
        })
        .start("127.0.0.1", 0);
  }

  URI endpoint() {
    return URI.create("ws://127.0.0.1:" + app.port() + "/worker");
  }

  int port() {
    return app.port();
  }

  WsContext nextConnection() throws InterruptedException {
    WsContext ctx = connections.poll(10, TimeUnit.SECONDS);
    if (ctx == null) {
      throw new AssertionError("no connection within 10 s");
    }
    return ctx;
  }

  /** The next frame the client sent that matches, skipping others. */
  Received next(Predicate<Frame> match) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      Received received = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (received != null && match.test(received.frame())) {
        return received;
      }
    }
    throw new AssertionError("no matching frame within 10 s");
  }

  Received nextEvent(String topic, String event) throws InterruptedException {
    return next(f -> f.topic().equals(topic) && f.event().equals(event));
  }

  static void reply(Received to, String status, Object response) {
    Frame f = to.frame();
    to.connection().send(FrameCodec.encodeReply(f.joinRef(), f.ref(), f.topic(), status, response));
  }

  /** lightning-mock's reply: event {@code chan_reply_<ref>}. */
  static void mockReply(Received to, String status, Object response) {
    Frame f = to.frame();
    java.util.Map<String, Object> payload = new java.util.LinkedHashMap<>();
    payload.put("status", status);
    payload.put("response", response);
    to.connection().send(FrameCodec.encode(f.joinRef(), f.ref(), f.topic(), "chan_reply_" + f.ref(), payload));
  }

  static void binaryReply(Received to, byte[] body) {
    Frame f = to.frame();
    to.connection().send(ByteBuffer.wrap(FrameCodec.encodeBinaryReply(f.joinRef(), f.ref(), f.topic(), "ok", body)));
  }

  @Override
  public void close() {
    app.stop();
  }
}
