package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.kiln.lightning.phoenix.Reply;
import dev.kiln.lightning.protocol.LightningJson;
import dev.kiln.lightning.protocol.StreamedJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventOutboxTest {
  private record Push(String event, ObjectNode payload, CompletableFuture<Reply> reply) {}

  @TempDir Path dir;
  private final LinkedBlockingQueue<Push> pushes = new LinkedBlockingQueue<>();
  private final java.util.concurrent.atomic.AtomicInteger resends = new java.util.concurrent.atomic.AtomicInteger();

  private CompletableFuture<Reply> channel(String event, ObjectNode payload) {
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    pushes.add(new Push(event, payload, reply));
    return reply;
  }

  private Push next() throws InterruptedException {
    Push push = pushes.poll(10, TimeUnit.SECONDS);
    assertThat(push).as("a push").isNotNull();
    return push;
  }

  private EventOutbox outbox(boolean batch, long interval, int limit) {
    return new EventOutbox("r", this::channel, RunJournal.create(dir, "r", "token"), batch, interval, limit,
        resends::incrementAndGet);
  }

  private static OutgoingEvent log(String text) {
    ObjectNode p = JsonNodeFactory.instance.objectNode().put("run_id", "r");
    p.putArray("message").add(text);
    return new OutgoingEvent(OutgoingEvent.RUN_LOG, p);
  }

  private static OutgoingEvent event(String name) {
    return new OutgoingEvent(name, JsonNodeFactory.instance.objectNode());
  }

  private static OutgoingEvent success() {
    return new OutgoingEvent(OutgoingEvent.RUN_COMPLETE, ExitReason.SUCCESS.writeTo(JsonNodeFactory.instance.objectNode()));
  }

  private static Reply ok() {
    return Reply.ok(null);
  }

  private static Reply error(String field, String message) {
    ObjectNode errors = JsonNodeFactory.instance.objectNode();
    errors.putObject("errors").putArray(field).add(message);
    return Reply.error(errors);
  }

  @Test
  void oneEventInFlightAtATimeAndARejectionClosesTheRunWithWhatWasRejected() throws Exception {
    EventOutbox outbox = outbox(false, 10, 50);
    outbox.accept(event(OutgoingEvent.STEP_START));
    outbox.accept(log("a"));
    outbox.accept(success());
    Push first = next();
    assertThat(first.event()).isEqualTo("step:start");
    assertThat(pushes.poll(200, TimeUnit.MILLISECONDS)).as("nothing before the reply").isNull();
    first.reply().complete(error("job_id", "does not exist"));
    Push second = next();
    assertThat(second.event()).as("the run goes on").isEqualTo("run:log");
    second.reply().complete(ok());
    Push last = next();
    assertThat(last.event()).isEqualTo("run:complete");
    assertThat(last.payload().path("reason").asText()).isEqualTo("exception");
    assertThat(last.payload().path("error_type").asText()).isEqualTo("EventRejected");
    assertThat(last.payload().path("error_message").asText())
        .contains("step:start").contains("job_id").contains("does not exist");
    assertThat(outbox.completed()).isNotDone();
    last.reply().complete(ok());
    assertThat(outbox.completed().get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(dir.resolve("r.journal")).as("nothing owed: the journal is gone").doesNotExist();
  }

  @Test
  void anAnswerThatLightningAlreadyHasTheEventCountsAsDelivered() throws Exception {
    EventOutbox outbox = outbox(false, 10, 50);
    outbox.accept(event(OutgoingEvent.STEP_COMPLETE));
    outbox.accept(success());
    next().reply().complete(error("step_id", "step x is already complete"));
    Push complete = next();
    assertThat(complete.payload().path("reason").asText()).isEqualTo("success");
    complete.reply().complete(error("state", "already in completed state"));
    assertThat(outbox.completed().get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aTimedOutEventIsSentAgain() throws Exception {
    EventOutbox outbox = outbox(false, 10, 50);
    outbox.accept(event(OutgoingEvent.STEP_START));
    Push first = next();
    first.reply().complete(Reply.timeout());
    Push again = next();
    assertThat(again.event()).isEqualTo("step:start");
    assertThat(again.payload()).isEqualTo(first.payload());
    assertThat(resends).as("resends counted for kiln_worker_events_resent_total").hasValue(1);
    again.reply().complete(ok());
    outbox.accept(event(OutgoingEvent.STEP_COMPLETE));
    next().reply().complete(ok());
    assertThat(resends).as("an event answered at once is not a resend").hasValue(1);
  }

  @Test
  void aRejectedRunCompleteIsReplacedByOneThatSaysWhy() throws Exception {
    EventOutbox outbox = outbox(false, 10, 50);
    OutgoingEvent complete = success();
    complete.payload().put("final_state", "{\"x\":1}");
    outbox.accept(complete);
    next().reply().complete(Reply.error(TextNode.valueOf("final_state is invalid")));
    Push replacement = next();
    assertThat(replacement.payload().path("reason").asText()).isEqualTo("exception");
    assertThat(replacement.payload().path("error_message").asText()).contains("final_state is invalid");
    assertThat(replacement.payload().has("final_state")).isFalse();
    replacement.reply().complete(ok());
    assertThat(outbox.completed().get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void eventsAreJournalledBeforeTheyAreSentAndAcknowledgedOnTheReply() throws Exception {
    EventOutbox outbox = outbox(false, 10, 50);
    ObjectNode start = JsonNodeFactory.instance.objectNode().put("step_id", "s1").put("job_id", "j");
    outbox.accept(new OutgoingEvent(OutgoingEvent.STEP_START, start));
    outbox.accept(log("a"));
    Push first = next();
    assertThat(Files.readString(dir.resolve("r.journal"))).contains("\"step_id\":\"s1\"").contains("\"a\"");
    first.reply().complete(ok());
    next(); // run:log in flight, unanswered: a crash now leaves it owed

    RunJournal left = RunJournal.load(dir.resolve("r.journal"));
    assertThat(left.runId()).isEqualTo("r");
    assertThat(left.runToken()).isEqualTo("token");
    assertThat(left.pending()).extracting(e -> e.event().event()).containsExactly("run:log");
    assertThat(left.openSteps()).containsOnlyKeys("s1");
    assertThat(left.completeJournalled()).isFalse();
    left.close();
  }

  @Test
  void aReloadedJournalSendsWhatItOwesFirstWithTheSameIds() throws Exception {
    RunJournal journal = RunJournal.create(dir, "r", "token");
    ObjectNode complete = JsonNodeFactory.instance.objectNode().put("step_id", "s1")
        .put("output_dataclip_id", "d1");
    long seq = journal.append(new OutgoingEvent(OutgoingEvent.STEP_COMPLETE, complete));
    journal.append(success());
    journal.close();
    assertThat(seq).isEqualTo(1);
    Files.writeString(dir.resolve("r.journal"), "{\"seq\":3,\"ev", java.nio.file.StandardOpenOption.APPEND);

    RunJournal reloaded = RunJournal.load(dir.resolve("r.journal"));
    assertThat(reloaded.completeJournalled()).isTrue();
    EventOutbox outbox = new EventOutbox("r", this::channel, reloaded, false, 10, 50, resends::incrementAndGet);
    Push resent = next();
    assertThat(resent.event()).isEqualTo("step:complete");
    assertThat(resent.payload().path("output_dataclip_id").asText()).isEqualTo("d1");
    resent.reply().complete(ok());
    assertThat(next().event()).isEqualTo("run:complete");
    assertThat(pushes).isEmpty();
    assertThat(outbox.completed()).isNotDone();
  }

  @Test
  void aLargeEventWaitsOnDiskAndIsSentIntact() throws Exception {
    EventOutbox outbox = outbox(false, 10, 50);
    outbox.accept(event(OutgoingEvent.STEP_START));
    ObjectNode big = JsonNodeFactory.instance.objectNode().put("step_id", "s1")
        .put("output_dataclip", "{\"data\":\"" + "x".repeat(EventOutbox.IN_MEMORY_LIMIT_BYTES * 2) + "\"}");
    outbox.accept(new OutgoingEvent(OutgoingEvent.STEP_COMPLETE, big));
    outbox.accept(log("after"));
    next().reply().complete(ok());
    Push complete = next();
    assertThat(complete.event()).isEqualTo("step:complete");
    assertThat(complete.payload()).isEqualTo(big);
    complete.reply().complete(ok());
    assertThat(next().event()).isEqualTo("run:log");
  }

  /**
   * A large state is a file in the run's body folder: the journal line refers to it (no copy), a
   * reloaded journal sends the same reference, and deleting the journal deletes the folder.
   */
  @Test
  void largeStatesAreJournalledByReferenceAndDeletedWithTheJournal() throws Exception {
    RunJournal journal = RunJournal.create(dir, "r", "token");
    Files.createDirectories(journal.bodyDir());
    Path state = journal.bodyDir().resolve("step-complete-1.json");
    String text = "{\"data\":\"" + "é".repeat(300_000) + "\"}";
    Files.writeString(state, text);
    ObjectNode step = JsonNodeFactory.instance.objectNode().put("step_id", "s1");
    step.putPOJO("output_dataclip", StreamedJson.string(state, Files.size(state)));
    ObjectNode complete = ExitReason.SUCCESS.writeTo(JsonNodeFactory.instance.objectNode());
    complete.putPOJO("final_state", StreamedJson.raw(state, Files.size(state)));
    journal.append(new OutgoingEvent(OutgoingEvent.STEP_COMPLETE, step));
    journal.append(new OutgoingEvent(OutgoingEvent.RUN_COMPLETE, complete));
    journal.close();
    assertThat(Files.size(dir.resolve("r.journal"))).as("the journal holds no copy of the state").isLessThan(1_000);

    RunJournal reloaded = RunJournal.load(dir.resolve("r.journal"));
    EventOutbox outbox = new EventOutbox("r", this::channel, reloaded, false, 10, 50, resends::incrementAndGet);
    Push resent = next();
    assertThat(resent.payload().get("output_dataclip")).isInstanceOf(POJONode.class);
    assertThat(LightningJson.parse(LightningJson.write(resent.payload())).path("output_dataclip").asText()).isEqualTo(text);
    resent.reply().complete(ok());
    Push last = next();
    assertThat(LightningJson.parse(LightningJson.write(last.payload())).path("final_state").path("data").asText())
        .isEqualTo("é".repeat(300_000));
    last.reply().complete(ok());
    assertThat(outbox.completed().get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(dir.resolve("r.journal")).doesNotExist();
    assertThat(reloaded.bodyDir()).doesNotExist();
  }

  @Test
  void batchesConsecutiveLogsAndFlushesBeforeTheNextEvent() throws Exception {
    EventOutbox outbox = outbox(true, 60_000, 2);
    outbox.accept(event(OutgoingEvent.STEP_START));
    Push start = next();
    List<OutgoingEvent> logs = List.of(log("1"), log("2"), log("3"));
    logs.forEach(outbox::accept);
    outbox.accept(event(OutgoingEvent.STEP_COMPLETE));
    start.reply().complete(ok());
    Push batch = next();
    assertThat(batch.event()).isEqualTo("run:batch_logs");
    assertThat(batch.payload().path("run_id").asText()).isEqualTo("r");
    assertThat(batch.payload().path("logs")).hasSize(2);
    assertThat(batch.payload().path("logs").get(0).has("run_id")).isFalse();
    batch.reply().complete(ok());
    Push rest = next();
    assertThat(rest.payload().path("logs")).hasSize(1);
    rest.reply().complete(ok());
    assertThat(next().event()).isEqualTo("step:complete");
  }

  @Test
  void aRunCompleteThatIsNeverAnsweredIsReportedAndItsJournalKept() throws Exception {
    EventOutbox outbox = new EventOutbox("r", (event, payload) -> CompletableFuture.completedFuture(Reply.timeout()),
        RunJournal.create(dir, "r", "token"), false, 10, 50, resends::incrementAndGet);
    outbox.accept(success());
    assertThat(outbox.completed().get(10, TimeUnit.SECONDS)).isFalse();
    assertThat(dir.resolve("r.journal")).exists();
  }
}
