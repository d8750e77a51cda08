package dev.kiln.worker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends one run's events strictly in order, one at a time: the next event goes out only after
 * Lightning answered the previous one (spec §3.3). With batching on, consecutive {@code run:log}
 * events become one {@code run:batch_logs} of at most {@code batchLimit} lines, flushed after
 * {@code batchInterval} ms or as soon as a non-log event is queued behind them (§3.4). A failed
 * event is logged and the next one is sent.
 */
final class EventOutbox {
  private static final Logger LOG = Logger.getLogger(EventOutbox.class.getName());

  private final String runId;
  private final RunChannel channel;
  private final boolean batchLogs;
  private final long batchIntervalMs;
  private final int batchLimit;
  private final BlockingQueue<OutgoingEvent> queue = new LinkedBlockingQueue<>();
  private final CompletableFuture<Boolean> completed = new CompletableFuture<>();
  private OutgoingEvent held;

  EventOutbox(String runId, RunChannel channel, boolean batchLogs, long batchIntervalMs, int batchLimit) {
    this.runId = runId;
    this.channel = channel;
    this.batchLogs = batchLogs;
    this.batchIntervalMs = batchIntervalMs;
    this.batchLimit = Math.max(1, batchLimit);
    Thread.ofVirtual().name("kiln-outbox-" + runId).start(this::drain);
  }

  void accept(OutgoingEvent event) {
    queue.add(event);
  }

  /**
   * Completes once {@code run:complete} was answered: true when Lightning accepted it, false when it
   * refused it or timed out.
   */
  CompletableFuture<Boolean> completed() {
    return completed;
  }

  private void drain() {
    try {
      while (true) {
        OutgoingEvent event = next();
        if (batchLogs && event.isLog()) {
          sendBatch(event);
          continue;
        }
        boolean accepted = send(event.event(), event.payload());
        if (OutgoingEvent.RUN_COMPLETE.equals(event.event())) {
          if (!accepted) {
            LOG.severe("run " + runId + ": run:complete was not accepted. This run will be lost!");
          }
          completed.complete(accepted);
          return;
        }
      }
    } catch (InterruptedException e) {
      completed.complete(false);
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "run " + runId + ": event delivery failed", e);
      completed.complete(false);
    }
  }

  private OutgoingEvent next() throws InterruptedException {
    if (held != null) {
      OutgoingEvent event = held;
      held = null;
      return event;
    }
    return queue.take();
  }

  private void sendBatch(OutgoingEvent first) throws InterruptedException {
    ArrayNode logs = JsonNodeFactory.instance.arrayNode();
    logs.add(batchEntry(first));
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(batchIntervalMs);
    while (logs.size() < batchLimit) {
      OutgoingEvent more = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (more == null) {
        break;
      }
      if (!more.isLog()) {
        held = more;
        break;
      }
      logs.add(batchEntry(more));
    }
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("run_id", runId);
    payload.set("logs", logs);
    send(OutgoingEvent.RUN_BATCH_LOGS, payload);
  }

  private static ObjectNode batchEntry(OutgoingEvent log) {
    ObjectNode entry = log.payload().deepCopy();
    entry.remove("run_id");
    return entry;
  }

  private boolean send(String event, ObjectNode payload) throws InterruptedException {
    try {
      channel.send(event, payload).get();
      return true;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      LOG.warning("run " + runId + ": " + cause.getMessage());
      return false;
    }
  }
}
