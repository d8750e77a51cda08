package dev.kiln.devserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.sse.SseClient;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One SSE client following a run: replays the run's stored worker events (from
 * {@code Last-Event-ID} if given), then sends new ones as they are stored. Each SSE event has the
 * protocol event name ({@code run:start}, {@code step:complete}, {@code run:log}, …; the janitor's
 * {@code run:lost}), the payload as data and the stored event id. The stream ends after the run's
 * final event. A comment line every 15 s keeps idle streams open (Jetty closes idle connections
 * after 30 s).
 */
final class RunEventStream {
  private static final Set<String> FINAL_EVENTS = Set.of("run:complete", "run:lost");
  private static final long KEEP_ALIVE_SECONDS = 15;

  private final SseClient client;
  private final RunStore runs;
  private final RunEventBus bus;
  private final String runId;
  private final Runnable listener = this::pump;
  private long lastId;
  private boolean finished;

  private RunEventStream(SseClient client, RunStore runs, RunEventBus bus, String runId, long lastId) {
    this.client = client;
    this.runs = runs;
    this.bus = bus;
    this.runId = runId;
    this.lastId = lastId;
  }

  static void follow(SseClient client, RunStore runs, RunEventBus bus, String runId,
      ScheduledExecutorService scheduler) {
    String header = client.ctx().header("Last-Event-ID");
    long after = header != null && header.matches("\\d+") ? Long.parseLong(header) : 0;
    RunEventStream stream = new RunEventStream(client, runs, bus, runId, after);
    client.keepAlive();
    ScheduledFuture<?> keepAlive = scheduler.scheduleAtFixedRate(stream::ping, KEEP_ALIVE_SECONDS,
        KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
    client.onClose(() -> {
      keepAlive.cancel(false);
      bus.unsubscribe(runId, stream.listener);
    });
    bus.subscribe(runId, stream.listener);
    stream.pump();
  }

  private synchronized void ping() {
    if (!finished) {
      client.sendComment("keep-alive");
    }
  }

  private synchronized void pump() {
    if (finished) {
      return;
    }
    for (ObjectNode event : runs.eventsAfter(runId, lastId)) {
      lastId = event.get("id").asLong();
      String name = event.get("event").asText();
      client.sendEvent(name, event.get("payload").asText(), Long.toString(lastId));
      if (FINAL_EVENTS.contains(name)) {
        finished = true;
        bus.unsubscribe(runId, listener);
        client.close();
        return;
      }
    }
  }
}
