package dev.kiln.worker;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.lightning.phoenix.Reply;
import dev.kiln.lightning.protocol.Timestamps;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * After a crash or {@code kill -9}: the runs the previous worker had in flight are the journals it
 * left in the data folder. For each, while its run token is valid: rejoin {@code run:<id>} with the
 * token, send what the journal still owes (in order, with the ids minted before the crash), then
 * close the run — a {@code step:complete} for a step that was running and {@code run:complete},
 * both {@code crash} / {@code WorkerRestart} — unless {@code run:complete} was already journalled.
 */
final class RestartRecovery {
  private static final Logger LOG = Logger.getLogger(RestartRecovery.class.getName());
  static final ExitReason WORKER_RESTART = new ExitReason("crash", "WorkerRestart",
      "The worker restarted while this run was in progress (it crashed or was killed): the run was stopped."
          + " Events reported before the restart are kept; run it again to finish it.");
  private static final int JOIN_ATTEMPTS = 5;

  private final WorkerConfig config;
  private final BiFunction<String, String, RunTopic> topics;
  private final Runnable resent;

  /**
   * @param topics a run's channel from its id and token
   * @param resent called for each event sent again after a timeout
   */
  RestartRecovery(WorkerConfig config, BiFunction<String, String, RunTopic> topics, Runnable resent) {
    this.config = config;
    this.topics = topics;
    this.resent = resent;
  }

  /** Starts finishing every run left behind; completes when all are done (true = all reported). */
  CompletableFuture<Boolean> start() {
    List<Path> files;
    try {
      files = RunJournal.leftBehind(config.journalDir());
    } catch (IOException e) {
      LOG.log(Level.SEVERE, "cannot read the run journals in " + config.journalDir(), e);
      return CompletableFuture.completedFuture(false);
    }
    List<CompletableFuture<Boolean>> runs = new ArrayList<>();
    for (Path file : files) {
      CompletableFuture<Boolean> done = new CompletableFuture<>();
      runs.add(done);
      Thread.ofVirtual().name("kiln-recover-" + file.getFileName()).start(() -> done.complete(recover(file)));
    }
    if (!runs.isEmpty()) {
      LOG.info("found " + runs.size() + " run(s) in flight before the restart in " + config.journalDir());
    }
    return CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new))
        .thenApply(v -> runs.stream().allMatch(CompletableFuture::join));
  }

  private boolean recover(Path file) {
    RunJournal journal;
    try {
      journal = RunJournal.load(file);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.SEVERE, "cannot read the run journal " + file + "; moving on", e);
      return false;
    }
    String runId = journal.runId();
    Instant expiry = RunDeadline.expiry(journal.runToken());
    if (expiry != null && !Instant.now().isBefore(expiry)) {
      LOG.warning("run " + runId + ": its token expired at " + expiry + " (past Lightning's deadline for the run),"
          + " so the worker cannot report it any more; Lightning marks it lost");
      journal.delete();
      return false;
    }
    if (journal.completeJournalled() && journal.pending().isEmpty()) {
      LOG.info("run " + runId + ": its run:complete was answered before the restart; nothing is owed");
      journal.delete();
      return true;
    }
    RunTopic topic = topics.apply(runId, journal.runToken());
    try {
      Reply joined = join(topic);
      if (!joined.isOk()) {
        LOG.warning("run " + runId + ": cannot rejoin its channel after the restart: " + joined.describe("phx_join")
            + "; its journal is dropped");
        journal.delete();
        return false;
      }
      EventOutbox outbox = new EventOutbox(runId, topic::push, journal, false, 0, 1, resent);
      if (!journal.completeJournalled()) {
        closeAsRestarted(journal, outbox);
      }
      boolean reported = outbox.completed().join();
      LOG.info("run " + runId + (reported ? ": reported after the restart" : ": could not be reported after the restart"));
      return reported;
    } finally {
      journal.close();
      topic.leave();
    }
  }

  private static Reply join(RunTopic topic) {
    Reply reply = topic.join().join();
    for (int attempt = 1; attempt < JOIN_ATTEMPTS && reply.status() == Reply.Status.TIMEOUT; attempt++) {
      reply = topic.join().join();
    }
    return reply;
  }

  /** The events the dead worker could not send: the open step's end and {@code run:complete}. */
  private static void closeAsRestarted(RunJournal journal, EventOutbox outbox) {
    String now = Timestamps.micros(Instant.now());
    journal.openSteps().values().forEach(start -> {
      ObjectNode payload = JsonNodeFactory.instance.objectNode();
      payload.put("step_id", start.path("step_id").asText());
      payload.put("job_id", start.path("job_id").asText());
      payload.put("output_dataclip_id", UUID.randomUUID().toString());
      payload.put("output_dataclip", "{}");
      WORKER_RESTART.writeTo(payload);
      payload.put("timestamp", now);
      outbox.accept(new OutgoingEvent(OutgoingEvent.STEP_COMPLETE, payload));
    });
    ObjectNode complete = WORKER_RESTART.writeTo(JsonNodeFactory.instance.objectNode());
    complete.put("timestamp", now);
    outbox.accept(new OutgoingEvent(OutgoingEvent.RUN_COMPLETE, complete));
  }
}
