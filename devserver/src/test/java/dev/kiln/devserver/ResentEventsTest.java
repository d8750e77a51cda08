package dev.kiln.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker whose reply was lost sends the same event again (kiln's worker journals its events with
 * their ids and resends them after a reconnect): the run channel accepts an exact resend as
 * delivered and stores it once; a different event for the same step is still refused.
 */
class ResentEventsTest {
  private static final String PLAN = """
      {"triggers": [{"id": "t"}], "jobs": [{"id": "a", "body": "fn(s => s)"}],
       "edges": [{"id": "e", "source_trigger_id": "t", "target_job_id": "a", "condition": "always"}]}
      """;

  @TempDir Path dir;
  private Database database;
  private RunChannel channel;
  private String runId;

  @BeforeEach
  void queueAndClaimARun() {
    DevServerConfig config = DevServerConfig.defaults().withDatabase(dir.resolve("dev.db"));
    database = Database.open(config.database());
    RunStore store = new RunStore(database, config);
    runId = store.enqueue(PlanIntake.read(Json.parse(PLAN)), Json.parse("{}"), Map.of());
    assertThat(store.claim(1, "w")).hasSize(1);
    channel = new RunChannel(database, RunTokens.load(database), config, id -> { });
  }

  @AfterEach
  void close() {
    database.close();
  }

  @Test
  void aResentStepCompleteAfterALostReplyIsDeliveredAndStoredOnce() {
    String step = UUID.randomUUID().toString();
    assertThat(channel.handle(runId, "run:start", Json.parse("{\"versions\":{},\"timestamp\":\"1\"}")).status())
        .isEqualTo("ok");
    assertThat(channel.handle(runId, "step:start", Json.object().put("step_id", step).put("job_id", "a")
        .put("timestamp", "2")).status()).isEqualTo("ok");
    ObjectNode complete = Json.object().put("step_id", step).put("job_id", "a").put("reason", "success")
        .put("output_dataclip_id", UUID.randomUUID().toString()).put("output_dataclip", "{\"x\":1}")
        .put("timestamp", "3");

    assertThat(channel.handle(runId, "step:complete", complete).status()).isEqualTo("ok");
    // the reply was lost: the worker sends the very same event again
    Reply resent = channel.handle(runId, "step:complete", complete.deepCopy());
    assertThat(resent.status()).isEqualTo("ok");
    assertThat(resent.response().path("duplicate").asBoolean()).isTrue();

    assertThat(count("SELECT COUNT(*) AS n FROM run_events WHERE run_id = ? AND event = 'step:complete'")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) AS n FROM steps WHERE run_id = ?")).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) AS n FROM dataclips WHERE type = 'step_result'"
        + " AND id IN (SELECT output_dataclip_id FROM steps WHERE run_id = ?)")).isEqualTo(1);

    ObjectNode different = complete.deepCopy().put("reason", "fail").put("output_dataclip_id", UUID.randomUUID().toString());
    Reply refused = channel.handle(runId, "step:complete", different);
    assertThat(refused.status()).isEqualTo("error");
    assertThat(Json.write(refused.response())).contains("is already complete");
  }

  @Test
  void aResentRunCompleteIsDeliveredAndDoesNotRecordALateCompletion() {
    ObjectNode complete = Json.object().put("reason", "success").put("timestamp", "9");
    assertThat(channel.handle(runId, "run:complete", complete).status()).isEqualTo("ok");
    assertThat(channel.handle(runId, "run:complete", complete.deepCopy()).status()).isEqualTo("ok");
    assertThat(count("SELECT COUNT(*) AS n FROM run_events WHERE run_id = ?")).isEqualTo(1);
    assertThat(database.transaction(() -> database.queryOne("SELECT late_reason FROM runs WHERE id = ?", runId))
        .orElseThrow().get("late_reason").isNull()).isTrue();
  }

  private long count(String sql) {
    return database.transaction(() -> database.queryOne(sql, runId)).orElseThrow().get("n").asLong();
  }

  @Test
  void aResentLogLineAfterALostReplyIsDeliveredAndStoredOnce() {
    String step = UUID.randomUUID().toString();
    channel.handle(runId, "run:start", Json.parse("{\"versions\":{},\"timestamp\":\"1732838400000001\"}"));
    channel.handle(runId, "step:start", Json.object().put("step_id", step).put("job_id", "a")
        .put("timestamp", "1732838400000002"));
    ObjectNode log = Json.object().put("run_id", runId).put("step_id", step).put("source", "JOB").put("level", "info")
        .put("timestamp", "1732838400000003");
    log.putArray("message").add("hello");

    Reply first = channel.handle(runId, "run:log", log);
    assertThat(first.status()).isEqualTo("ok");
    Reply resent = channel.handle(runId, "run:log", log.deepCopy());
    assertThat(resent.status()).isEqualTo("ok");
    assertThat(resent.response().path("duplicate").asBoolean()).isTrue();
    assertThat(resent.response().path("log_line_id").asText()).isEqualTo(first.response().path("log_line_id").asText());
    assertThat(count("SELECT COUNT(*) AS n FROM logs WHERE run_id = ?")).isEqualTo(1);

    // the same words logged again by the job carry another timestamp: a new line
    assertThat(channel.handle(runId, "run:log", log.deepCopy().put("timestamp", "1732838400000004"))
        .response().path("duplicate").asBoolean()).isFalse();
    assertThat(count("SELECT COUNT(*) AS n FROM logs WHERE run_id = ?")).isEqualTo(2);

    // a batch sent again (in part already stored) stores only the new lines
    ObjectNode batch = Json.object().put("run_id", runId);
    batch.putArray("logs").add(log.deepCopy().put("timestamp", "1732838400000004"))
        .add(log.deepCopy().put("timestamp", "1732838400000005"));
    assertThat(channel.handle(runId, "run:batch_logs", batch).status()).isEqualTo("ok");
    assertThat(count("SELECT COUNT(*) AS n FROM logs WHERE run_id = ?")).isEqualTo(3);
    Reply batchAgain = channel.handle(runId, "run:batch_logs", batch.deepCopy());
    assertThat(batchAgain.response().path("duplicate").asBoolean()).isTrue();
    assertThat(count("SELECT COUNT(*) AS n FROM logs WHERE run_id = ?")).isEqualTo(3);
  }
}
