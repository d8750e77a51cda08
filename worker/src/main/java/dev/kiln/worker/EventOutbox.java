package dev.kiln.worker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.lightning.phoenix.Reply;
import dev.kiln.lightning.protocol.LightningJson;
import dev.kiln.lightning.protocol.Timestamps;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends one run's events strictly in order, one at a time: each event is written to the run's
 * {@link RunJournal} before it is queued, and the next event goes out only after Lightning answered
 * the previous one (spec §3.3), which is then acknowledged in the journal. With batching on,
 * consecutive {@code run:log} events become one {@code run:batch_logs} of at most {@code batchLimit}
 * lines, flushed after {@code batchInterval} ms or as soon as a non-log event is queued (§3.4).
 *
 * <p>Answers: {@code ok} is delivered. A timeout is resent (the channel itself resends what a
 * dropped socket lost, after the rejoin). An {@code error} that says Lightning already has the
 * event (a resend after a lost reply) counts as delivered. Any other {@code error} is a rejection:
 * logged with the event, the run goes on, and a {@code run:complete} that would say {@code success}
 * says {@code exception} / {@code EventRejected} with what was rejected instead. A rejected
 * {@code run:complete} is replaced by one with that reason, so the run is closed, not left to be Lost.
 */
final class EventOutbox {
  private static final Logger LOG = Logger.getLogger(EventOutbox.class.getName());
  static final String EVENT_REJECTED = "EventRejected";
  /** Sends of one event that may time out on a live connection before it counts as not delivered. */
  private static final int ATTEMPTS_ON_TIMEOUT = 3;
  /** Lightning's (and the dev server's) answers to an event it already stored. */
  private static final List<String> DUPLICATE_ANSWERS =
      List.of("has already been taken", "is already complete", "already in completed state", "duplicate");

  /** Payloads larger than this wait on disk (in the journal), not in memory. */
  static final int IN_MEMORY_LIMIT_BYTES = 64 * 1024;

  /** A queued event: in memory, or only its place in the journal ({@code spilled}). */
  private record Queued(long seq, OutgoingEvent inMemory, RunJournal.Written spilled) {
    OutgoingEvent event(RunJournal journal) {
      return inMemory != null ? inMemory : journal.read(spilled);
    }

    boolean isLog() {
      return inMemory != null && inMemory.isLog();
    }
  }

  private final String runId;
  private final RunChannel channel;
  private final RunJournal journal;
  private final boolean batchLogs;
  private final long batchIntervalMs;
  private final int batchLimit;
  private final Runnable resent;
  private final BlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
  private final CompletableFuture<Boolean> completed = new CompletableFuture<>();
  private final List<String> rejections = new ArrayList<>();
  private Queued held;

  /**
   * Starts sending: first what the journal still owes (after a restart), then what is accepted.
   *
   * @param resent called each time an event is sent again after a timeout
   */
  EventOutbox(String runId, RunChannel channel, RunJournal journal, boolean batchLogs, long batchIntervalMs,
      int batchLimit, Runnable resent) {
    this.runId = runId;
    this.channel = channel;
    this.journal = journal;
    this.batchLogs = batchLogs;
    this.batchIntervalMs = batchIntervalMs;
    this.batchLimit = Math.max(1, batchLimit);
    this.resent = resent;
    rejections.addAll(journal.rejections());
    journal.pending().forEach(entry -> queue.add(new Queued(entry.seq(), entry.event(), null)));
    Thread.ofVirtual().name("kiln-outbox-" + runId).start(this::drain);
  }

  /**
   * Journals the event (its ids are fixed from now on) and queues it behind the others; a large
   * one is queued as its place in the journal, so a slow connection does not fill the heap.
   */
  void accept(OutgoingEvent event) {
    RunJournal.Written written = journal.appendAt(event);
    boolean large = written.length() > IN_MEMORY_LIMIT_BYTES && !event.isLog();
    queue.add(new Queued(written.seq(), large ? null : event, large ? written : null));
  }

  /**
   * Completes once {@code run:complete} was answered: true when Lightning accepted it (or the
   * replacement after a rejection), false when it was not delivered.
   */
  CompletableFuture<Boolean> completed() {
    return completed;
  }

  private void drain() {
    try {
      while (true) {
        Queued next = next();
        if (batchLogs && next.isLog()) {
          sendBatch(next);
          continue;
        }
        OutgoingEvent event = next.event(journal);
        if (OutgoingEvent.RUN_COMPLETE.equals(event.event())) {
          complete(next.seq(), event);
          return;
        }
        deliver(event.event(), event.payload(), List.of(next.seq()));
      }
    } catch (InterruptedException e) {
      completed.complete(false);
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "run " + runId + ": event delivery failed", e);
      completed.complete(false);
    }
  }

  private void complete(long seq, OutgoingEvent runComplete) throws InterruptedException {
    ObjectNode payload = runComplete.payload();
    if (!rejections.isEmpty() && "success".equals(payload.path("reason").asText())) {
      payload = rejected(payload, "Lightning rejected " + String.join("; ", rejections));
    }
    Reply reply = deliver(OutgoingEvent.RUN_COMPLETE, payload, List.of(seq));
    if (reply.isOk() || duplicate(reply)) {
      finish();
      return;
    }
    if (reply.status() == Reply.Status.ERROR) {
      ObjectNode replacement = rejected(payload, "Lightning rejected run:complete: " + reply.describe("run:complete"));
      replacement.remove("final_state");
      replacement.remove("final_dataclip_id");
      long again = journal.append(new OutgoingEvent(OutgoingEvent.RUN_COMPLETE, replacement));
      Reply second = deliver(OutgoingEvent.RUN_COMPLETE, replacement, List.of(again));
      if (second.isOk() || duplicate(second)) {
        finish();
        return;
      }
      LOG.severe("run " + runId + ": Lightning rejected run:complete, and its replacement got "
          + second.describe("run:complete") + "; the run is left to Lightning");
      journal.delete();
      completed.complete(false);
      return;
    }
    LOG.severe("run " + runId + ": run:complete was not answered (" + reply.describe("run:complete")
        + "); it stays in the journal: a worker restarted on this data folder sends it again");
    journal.close();
    completed.complete(false);
  }

  private void finish() {
    journal.delete();
    completed.complete(true);
  }

  private static ObjectNode rejected(ObjectNode runComplete, String message) {
    ObjectNode payload = runComplete.deepCopy();
    payload.put("reason", "exception");
    payload.put("error_type", EVENT_REJECTED);
    payload.put("error_message", message);
    if (!payload.has("timestamp")) {
      payload.put("timestamp", Timestamps.micros(Instant.now()));
    }
    return payload;
  }

  private Queued next() throws InterruptedException {
    if (held != null) {
      Queued event = held;
      held = null;
      return event;
    }
    return queue.take();
  }

  private void sendBatch(Queued first) throws InterruptedException {
    ArrayNode logs = JsonNodeFactory.instance.arrayNode();
    List<Long> seqs = new ArrayList<>();
    logs.add(batchEntry(first.inMemory()));
    seqs.add(first.seq());
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(batchIntervalMs);
    while (logs.size() < batchLimit) {
      Queued more = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (more == null) {
        break;
      }
      if (!more.isLog()) {
        held = more;
        break;
      }
      logs.add(batchEntry(more.inMemory()));
      seqs.add(more.seq());
    }
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("run_id", runId);
    payload.set("logs", logs);
    deliver(OutgoingEvent.RUN_BATCH_LOGS, payload, seqs);
  }

  private static ObjectNode batchEntry(OutgoingEvent log) {
    ObjectNode entry = log.payload().deepCopy();
    entry.remove("run_id");
    return entry;
  }

  /** Sends until answered (timeouts resent), journals the answer; the last reply. */
  private Reply deliver(String event, ObjectNode payload, List<Long> seqs) throws InterruptedException {
    Reply reply = null;
    for (int attempt = 1; attempt <= ATTEMPTS_ON_TIMEOUT; attempt++) {
      if (attempt > 1) {
        resent.run();
      }
      reply = send(event, payload);
      if (reply.status() == Reply.Status.OK || reply.status() == Reply.Status.ERROR) {
        break;
      }
      LOG.warning("run " + runId + ": " + reply.describe(event) + " (attempt " + attempt + " of "
          + ATTEMPTS_ON_TIMEOUT + ")");
    }
    String rejection = null;
    if (reply.isOk()) {
      // delivered
    } else if (event.equals(OutgoingEvent.RUN_COMPLETE) && reply.status() != Reply.Status.ERROR) {
      return reply; // unanswered: not acknowledged, so that a restarted worker sends it again
    } else if (duplicate(reply)) {
      LOG.info("run " + runId + ": Lightning already has this " + event + " (" + reply.describe(event)
          + "): delivered");
    } else {
      rejection = reply.describe(event);
      rejections.add(rejection);
      LOG.warning("run " + runId + ": Lightning rejected " + event + ": " + rejection + "; event: "
          + abbreviated(payload) + ". The run goes on and will be closed as " + EVENT_REJECTED);
    }
    for (long seq : seqs) {
      journal.ack(seq, rejection);
    }
    return reply;
  }

  static boolean duplicate(Reply reply) {
    if (reply.status() != Reply.Status.ERROR || reply.response() == null) {
      return false;
    }
    String text = reply.response().toString();
    return DUPLICATE_ANSWERS.stream().anyMatch(text::contains);
  }

  private Reply send(String event, ObjectNode payload) throws InterruptedException {
    try {
      return channel.send(event, payload).get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      LOG.warning("run " + runId + ": " + event + " failed: " + cause);
      return Reply.timeout();
    }
  }

  /** The payload's first 500 characters of JSON; a large state in it is not read further. */
  private static String abbreviated(ObjectNode payload) {
    StringBuilder text = new StringBuilder();
    java.io.Writer upTo500 = new java.io.Writer() {
      @Override
      public void write(char[] chars, int offset, int length) throws java.io.IOException {
        text.append(chars, offset, Math.min(length, 501 - text.length()));
        if (text.length() > 500) {
          throw new java.io.EOFException("abbreviated");
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    try {
      LightningJson.mapper().writeValue(upTo500, payload);
    } catch (java.io.IOException e) {
      // cut at 500 characters
    }
    return text.length() <= 500 ? text.toString() : text.substring(0, 500) + "…";
  }
}
