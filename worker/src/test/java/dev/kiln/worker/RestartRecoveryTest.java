package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.lightning.phoenix.Reply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartRecoveryTest {
  @TempDir Path dataDir;
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final List<ObjectNode> payloads = new CopyOnWriteArrayList<>();

  private WorkerConfig config() {
    WorkerConfig c = RunEventTranslatorTest.config();
    return new WorkerConfig(c.port(), c.lightningUrl(), c.secret(), null, c.workloops(), 1000, 10000, true, 30, 30,
        500, 10, 1, 300, List.of(), false, 10, 50, null, null, c.repoDir(), null, null, dataDir);
  }

  private RunTopic topic(String runId, String token) {
    return new RunTopic() {
      @Override
      public CompletableFuture<Reply> join() {
        sent.add("phx_join " + runId + " " + token);
        return CompletableFuture.completedFuture(Reply.ok(null));
      }

      @Override
      public CompletableFuture<Reply> push(String event, JsonNode payload) {
        sent.add(event);
        payloads.add((ObjectNode) payload);
        return CompletableFuture.completedFuture(Reply.ok(null));
      }

      @Override
      public void leave() {
        sent.add("phx_leave");
      }
    };
  }

  private static String token(Instant exp) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(("{\"exp\":" + exp.getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8)) + ".s";
  }

  @Test
  void aRunInFlightIsFinishedAndClosedAsAWorkerRestart() throws Exception {
    String token = token(Instant.now().plusSeconds(600));
    RunJournal journal = RunJournal.create(config().journalDir(), "r1", token);
    ObjectNode start = JsonNodeFactory.instance.objectNode().put("step_id", "s1").put("job_id", "job");
    journal.ack(journal.append(new OutgoingEvent(OutgoingEvent.RUN_START, JsonNodeFactory.instance.objectNode())), null);
    journal.ack(journal.append(new OutgoingEvent(OutgoingEvent.STEP_START, start)), null);
    journal.append(new OutgoingEvent(OutgoingEvent.RUN_LOG, JsonNodeFactory.instance.objectNode().put("run_id", "r1")));
    journal.close(); // the worker was killed with run:log in flight

    assertThat(new RestartRecovery(config(), this::topic, () -> { }).start().get(10, TimeUnit.SECONDS)).isTrue();

    assertThat(sent).containsExactly("phx_join r1 " + token, "run:log", "step:complete", "run:complete", "phx_leave");
    ObjectNode stepComplete = payloads.get(1);
    assertThat(stepComplete.path("step_id").asText()).isEqualTo("s1");
    assertThat(stepComplete.path("job_id").asText()).isEqualTo("job");
    assertThat(stepComplete.path("reason").asText()).isEqualTo("crash");
    assertThat(stepComplete.path("error_type").asText()).isEqualTo("WorkerRestart");
    ObjectNode runComplete = payloads.get(2);
    assertThat(runComplete.path("reason").asText()).isEqualTo("crash");
    assertThat(runComplete.path("error_type").asText()).isEqualTo("WorkerRestart");
    assertThat(runComplete.path("error_message").asText()).contains("worker restarted");
    assertThat(RunJournal.leftBehind(config().journalDir())).as("reported: nothing owed").isEmpty();
  }

  @Test
  void aRunWhoseRunCompleteWasJournalledOnlyGetsItSentAgain() throws Exception {
    RunJournal journal = RunJournal.create(config().journalDir(), "r2", token(Instant.now().plusSeconds(600)));
    journal.append(new OutgoingEvent(OutgoingEvent.RUN_COMPLETE, ExitReason.SUCCESS.writeTo(
        JsonNodeFactory.instance.objectNode())));
    journal.close();

    assertThat(new RestartRecovery(config(), this::topic, () -> { }).start().get(10, TimeUnit.SECONDS)).isTrue();

    assertThat(sent).filteredOn(e -> !e.startsWith("phx_")).containsExactly("run:complete");
    assertThat(payloads.get(0).path("reason").asText()).isEqualTo("success");
  }

  @Test
  void aRunPastItsTokensExpiryIsDroppedWithoutJoining() throws Exception {
    RunJournal.create(config().journalDir(), "r3", token(Instant.now().minusSeconds(5))).close();

    assertThat(new RestartRecovery(config(), this::topic, () -> { }).start().get(10, TimeUnit.SECONDS)).isFalse();

    assertThat(sent).isEmpty();
    assertThat(RunJournal.leftBehind(config().journalDir())).isEmpty();
  }
}
