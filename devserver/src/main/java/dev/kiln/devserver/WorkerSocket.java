package dev.kiln.devserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.lightning.phoenix.Frame;
import dev.kiln.lightning.phoenix.FrameCodec;
import dev.kiln.lightning.phoenix.FrameException;
import dev.kiln.lightning.token.TokenException;
import dev.kiln.lightning.token.WorkerToken;
import io.javalin.Javalin;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.websocket.WsContext;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * {@code /worker/websocket}: Phoenix channels (serializer V2) for workers. Real mode behaves like
 * Lightning: the worker token is checked at upgrade (HTTP 401), replies are {@code phx_reply},
 * heartbeats are answered, dataclips go out as binary reply frames, {@code work-available} is
 * {@code {}}. Mock-quirks mode behaves like lightning-mock (spec §8.4).
 */
final class WorkerSocket {
  static final String PATH = "/worker/websocket";
  private static final String QUEUE = "worker:queue";
  private static final Logger LOG = Logger.getLogger(WorkerSocket.class.getName());

  /** One worker connection: its channels (topic → join ref) and a send lock. */
  private static final class Connection {
    final WsContext ws;
    final Map<String, String> joined = new ConcurrentHashMap<>();

    Connection(WsContext ws) {
      this.ws = ws;
    }

    synchronized void send(String text) {
      if (ws.session.isOpen()) {
        ws.send(text);
      }
    }

    synchronized void send(byte[] bytes) {
      if (ws.session.isOpen()) {
        ws.send(ByteBuffer.wrap(bytes));
      }
    }
  }

  private final DevServerConfig config;
  private final String workerSecret;
  private final RunStore runs;
  private final RunChannel runChannel;
  private final RunTokens runTokens;
  private final ScheduledExecutorService scheduler;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  private final AtomicBoolean workAvailablePending = new AtomicBoolean();
  private final SocketFaults faults = new SocketFaults(this);

  WorkerSocket(DevServerConfig config, String workerSecret, RunStore runs, RunChannel runChannel,
      RunTokens runTokens, ScheduledExecutorService scheduler) {
    this.config = config;
    this.workerSecret = workerSecret;
    this.runs = runs;
    this.runChannel = runChannel;
    this.runTokens = runTokens;
    this.scheduler = scheduler;
  }

  void register(Javalin app) {
    app.wsBeforeUpgrade(PATH, ctx -> {
      String token = ctx.queryParam("token");
      if (config.mockQuirks()) {
        return;
      }
      try {
        WorkerToken.verify(token, workerSecret, Instant.now());
      } catch (TokenException e) {
        LOG.warning("worker socket refused: " + e.getMessage());
        throw new UnauthorizedResponse("Unauthorized");
      }
    });
    app.ws(PATH, ws -> {
      ws.onConnect(ctx -> {
        if (config.mockQuirks() && (ctx.queryParam("token") == null || ctx.queryParam("token").isEmpty())) {
          ctx.closeSession(1008, "no token");
          return;
        }
        connections.put(ctx.sessionId(), new Connection(ctx));
      });
      ws.onMessage(ctx -> {
        Connection connection = connections.get(ctx.sessionId());
        if (connection != null) {
          receive(connection, ctx.message());
        }
      });
      ws.onClose(ctx -> connections.remove(ctx.sessionId()));
      ws.onError(ctx -> connections.remove(ctx.sessionId()));
    });
  }

  /** Pushes {@code work-available} to every joined worker, debounced as Lightning's WorkListener. */
  void workAvailable() {
    if (workAvailablePending.compareAndSet(false, true)) {
      scheduler.schedule(() -> {
        workAvailablePending.set(false);
        for (Connection connection : connections.values()) {
          String joinRef = connection.joined.get(QUEUE);
          if (joinRef != null) {
            connection.send(config.mockQuirks()
                ? FrameCodec.encode(null, "", QUEUE, "work-available", TextNode.valueOf("{}"))
                : FrameCodec.encode(joinRef, null, QUEUE, "work-available", Json.object()));
          }
        }
      }, config.workAvailableDebounce().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Drops every worker socket as a failing server would: a close frame with 1011 (server error)
   * and the connection cut at once, without waiting for the worker's close reply.
   */
  void dropAll() {
    for (Connection connection : List.copyOf(connections.values())) {
      connections.remove(connection.ws.sessionId());
      connection.ws.session.close(1011, "dropped by the dev server");
      connection.ws.session.disconnect();
    }
  }

  int connectionCount() {
    return connections.size();
  }

  SocketFaults faults() {
    return faults;
  }

  /** {@link SocketFaults#sendRaw}. */
  int sendRaw(String text) {
    List<Connection> open = List.copyOf(connections.values());
    open.forEach(connection -> connection.send(text));
    return open.size();
  }

  /** {@link SocketFaults#sendOnChannel}. */
  int sendOnTopic(String topic, String ref, String event, JsonNode payload) {
    int sent = 0;
    for (Connection connection : List.copyOf(connections.values())) {
      String joinRef = connection.joined.get(topic);
      if (joinRef != null) {
        connection.send(FrameCodec.encode(joinRef, ref, topic, event, payload));
        sent++;
      }
    }
    return sent;
  }

  private void receive(Connection connection, String text) {
    Frame frame;
    try {
      frame = FrameCodec.decodeText(text);
    } catch (FrameException e) {
      LOG.warning("dropping an unreadable frame: " + e.getMessage());
      return;
    }
    try {
      dispatch(connection, frame);
    } catch (RuntimeException e) {
      LOG.log(java.util.logging.Level.WARNING, "failed to handle " + frame.event() + " on " + frame.topic(), e);
      reply(connection, frame, Reply.error(Json.object().put("reason", "internal error: " + e.getMessage())));
    }
  }

  private void dispatch(Connection connection, Frame frame) {
    String topic = frame.topic();
    if (topic.equals("phoenix")) {
      if (frame.event().equals("heartbeat") && !config.mockQuirks()) {
        reply(connection, frame, Reply.ok(Json.object()));
      }
      return;
    }
    switch (frame.event()) {
      case "phx_join" -> join(connection, frame);
      case "phx_leave" -> {
        connection.joined.remove(topic);
        reply(connection, frame, Reply.ok(Json.object()));
        if (!config.mockQuirks()) {
          connection.send(FrameCodec.encode(frame.joinRef(), frame.joinRef(), topic, "phx_close", Json.object()));
        }
      }
      default -> {
        if (!connection.joined.containsKey(topic)) {
          reply(connection, frame, config.mockQuirks()
              ? Reply.error("There are no listeners on channel " + topic)
              : Reply.error(Json.object().put("reason", "unmatched topic")));
        } else if (topic.equals(QUEUE)) {
          reply(connection, frame, frame.event().equals("claim") ? claim(frame.payload())
              : Reply.error(Json.object().put("reason", "unknown event " + frame.event())));
        } else {
          reply(connection, frame, runChannel.handle(topic.substring("run:".length()), frame.event(),
              frame.payload()));
        }
      }
    }
  }

  private void join(Connection connection, Frame frame) {
    String topic = frame.topic();
    Reply reply;
    if (topic.equals(QUEUE)) {
      reply = Reply.ok(config.mockQuirks() ? TextNode.valueOf("ok") : Json.object());
    } else if (topic.startsWith("run:")) {
      reply = runChannel.join(topic.substring("run:".length()), frame.payload());
    } else {
      reply = Reply.error(Json.object().put("reason", "unmatched topic"));
    }
    if ("ok".equals(reply.status())) {
      connection.joined.put(topic, frame.ref() == null ? "" : frame.ref());
    }
    reply(connection, frame, reply);
  }

  private Reply claim(JsonNode payload) {
    JsonNode demand = payload.get("demand");
    if (!config.mockQuirks() && (demand == null || !demand.canConvertToInt() || !payload.has("worker_name"))) {
      return Reply.fieldError("demand", "claim needs {\"demand\": <n>, \"worker_name\": <name or null>}");
    }
    int count = config.mockQuirks() ? 1 : demand.asInt();
    String workerName = payload.path("worker_name").isTextual() && !payload.get("worker_name").asText().isEmpty()
        ? payload.get("worker_name").asText() : null;
    ObjectNode response = Json.object();
    ArrayNode list = response.putArray("runs");
    for (RunStore.Claimed run : runs.claim(count, workerName)) {
      list.addObject().put("id", run.id())
          .put("token", runTokens.issue(run.id(), Duration.ofMillis(run.timeoutMs()).plus(config.gracePeriod())));
      if (!config.mockQuirks()) {
        scheduler.schedule(() -> {
          if (runs.rollBackIfNotJoined(run.id())) {
            LOG.warning("run " + run.id() + " was claimed but its channel not joined within "
                + config.runJoinTimeout().toSeconds() + " s: back to available");
            workAvailable();
          }
        }, config.runJoinTimeout().toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    return Reply.ok(response);
  }

  private void reply(Connection connection, Frame frame, Reply reply) {
    if (reply.silent()) {
      return;
    }
    Duration delay = faults.delayOf(frame.event());
    if (delay.isZero()) {
      send(connection, frame, reply);
    } else {
      scheduler.schedule(() -> send(connection, frame, reply), delay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void send(Connection connection, Frame frame, Reply reply) {
    JsonNode replaced = faults.nextReplacement(frame.event());
    if (replaced != null) {
      String event = config.mockQuirks() ? "chan_reply_" + frame.ref() : "phx_reply";
      connection.send(FrameCodec.encode(frame.joinRef(), frame.ref(), frame.topic(), event, replaced));
      return;
    }
    String joinRef = frame.joinRef();
    String ref = frame.ref();
    if (config.mockQuirks()) {
      ObjectNode payload = Json.object().put("status", reply.status());
      payload.set("response", reply.response());
      connection.send(FrameCodec.encode(joinRef, ref, frame.topic(), "chan_reply_" + ref, payload));
    } else if (reply.binary() != null) {
      connection.send(FrameCodec.encodeBinaryReply(joinRef, ref, frame.topic(), reply.status(), reply.binary()));
    } else {
      connection.send(FrameCodec.encodeReply(joinRef, ref, frame.topic(), reply.status(), reply.response()));
    }
  }
}
