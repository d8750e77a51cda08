package dev.kiln.devserver;

import static dev.kiln.devserver.PhoenixTestClient.response;
import static dev.kiln.devserver.PhoenixTestClient.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.lightning.phoenix.Frame;
import dev.kiln.lightning.token.RunTokenVerifier;
import dev.kiln.lightning.token.WorkerToken;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker socket in real (Lightning) mode, driven with raw Phoenix frames. */
@Tag("integration")
class WorkerSocketIntegrationTest {
  static final String PLAN = """
      {"name": "two steps", "triggers": [{"id": "t"}],
       "jobs": [{"id": "a", "adaptor": "@openfn/language-common@latest", "body": "fn(s => s)",
                 "credential": {"user": "me"}},
                {"id": "b", "body": "fn(s => s)"}],
       "edges": [{"id": "e1", "source_trigger_id": "t", "target_job_id": "a", "condition": "always"},
                 {"id": "e2", "source_job_id": "a", "target_job_id": "b", "condition": "on_job_success"}],
       "options": {"run_timeout_ms": 60000}}
      """;

  @TempDir Path dir;
  DevServer server;

  @BeforeEach
  void start() {
    server = DevServer.start(DevServerConfig.defaults().withDatabase(dir.resolve("dev.db"))
        .withWorkerSecret("s3cret").withWorkAvailableDebounce(Duration.ofMillis(10)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  PhoenixTestClient connectWorker() throws Exception {
    String token = WorkerToken.mint("s3cret", "brave-pumas-sing", Instant.now());
    return PhoenixTestClient.connect(server.workerEndpoint() + "/websocket?token=" + token
        + "&api_version=1.2&worker_version=1.25.0&vsn=2.0.0");
  }

  @Test
  void aWorkerTokenSignedWithAnotherSecretIsRefusedAtUpgrade() {
    String token = WorkerToken.mint("wrong", "w", Instant.now());
    assertThatThrownBy(() -> PhoenixTestClient.connect(server.workerEndpoint() + "/websocket?token=" + token
        + "&vsn=2.0.0"))
        .hasStackTraceContaining("Unexpected HTTP response status code 401");
  }

  @Test
  void heartbeatsAreAnsweredAndUnknownTopicsRefused() throws Exception {
    try (PhoenixTestClient worker = connectWorker()) {
      String ref = worker.push(null, "phoenix", "heartbeat", Json.object());
      Frame reply = worker.awaitReply(ref);
      assertThat(reply.event()).isEqualTo("phx_reply");
      assertThat(status(reply)).isEqualTo("ok");
      Frame unmatched = worker.awaitReply(worker.push("9", "worker:queue", "claim", Json.object()));
      assertThat(status(unmatched)).isEqualTo("error");
      assertThat(response(unmatched).get("reason").asText()).isEqualTo("unmatched topic");
    }
  }

  @Test
  void aRunGoesThroughTheWholeProtocolAndIsStored() throws Exception {
    try (PhoenixTestClient worker = connectWorker()) {
      Frame joined = worker.join("worker:queue", Json.parse("{\"capacity\":5,\"queues\":{\"manual>*\":5}}"));
      assertThat(joined.event()).isEqualTo("phx_reply");
      assertThat(status(joined)).isEqualTo("ok");
      String queueJoinRef = worker.lastJoinRef;

      String runId = TestHttp.submit(server, PLAN, "{\"data\": {\"n\": 1}}");
      Frame available = worker.await(f -> f.event().equals("work-available"), "work-available");
      assertThat(available.payload().isObject()).isTrue();
      assertThat(available.joinRef()).isEqualTo(queueJoinRef);
      assertThat(available.ref()).isNull();

      Frame claim = worker.call("worker:queue", "claim",
          Json.parse("{\"demand\":2,\"worker_name\":null,\"queues\":[\"manual\",\"*\"]}"));
      JsonNode runs = response(claim).get("runs");
      assertThat(runs).hasSize(1);
      assertThat(runs.get(0).get("id").asText()).isEqualTo(runId);
      String token = runs.get(0).get("token").asText();
      var claims = RunTokenVerifier.fromPem(server.runPublicKeyBase64()).verify(token, Instant.now());
      assertThat(claims.runId()).isEqualTo(runId);
      assertThat(claims.subject()).isEqualTo("run:" + runId);
      assertThat(TestHttp.run(server, runId).get("state").asText()).isEqualTo("claimed");
      assertThat(response(worker.call("worker:queue", "claim",
          Json.parse("{\"demand\":1,\"worker_name\":\"w\"}"))).get("runs")).isEmpty();

      String topic = "run:" + runId;
      Frame badJoin = worker.join(topic, Json.object().put("token", "x.y.z"));
      assertThat(status(badJoin)).isEqualTo("error");
      assertThat(response(badJoin).get("reason").asText()).isEqualTo("unauthorized");
      Frame notFound = worker.join("run:" + UUID.randomUUID(), Json.object().put("token", token));
      assertThat(response(notFound).get("reason").asText()).isEqualTo("unauthorized");
      assertThat(status(worker.join(topic, Json.object().put("token", token)))).isEqualTo("ok");

      JsonNode plan = response(worker.call(topic, "fetch:plan", Json.object()));
      assertThat(plan.get("id").asText()).isEqualTo(runId);
      assertThat(plan.get("starting_node_id").asText()).isEqualTo("t");
      assertThat(plan.get("project_id").asText()).isEqualTo(server.projectId());
      assertThat(plan.get("jobs").get(0).get("body").asText()).isEqualTo("fn(s => s)");
      assertThat(plan.get("options").get("run_timeout_ms").asLong()).isEqualTo(60000);
      String dataclipId = plan.get("dataclip_id").asText();
      String credentialId = plan.get("jobs").get(0).get("credential_id").asText();

      Frame clip = worker.call(topic, "fetch:dataclip", Json.object().put("id", dataclipId));
      assertThat(clip.isBinary()).isTrue();
      assertThat(status(clip)).isEqualTo("ok");
      assertThat(Json.parse(new String(clip.binaryBody(), StandardCharsets.UTF_8)).get("data").get("n").asInt())
          .isEqualTo(1);
      assertThat(response(worker.call(topic, "fetch:credential", Json.object().put("id", credentialId)))
          .get("user").asText()).isEqualTo("me");
      Frame noCredential = worker.call(topic, "fetch:credential", Json.object().put("id", "zzz"));
      assertThat(status(noCredential)).isEqualTo("error");
      assertThat(Json.write(response(noCredential))).isEqualTo("{\"errors\":{\"id\":[\"Credential not found!\"]}}");

      ObjectNode earlyLog = log(null, "Memory limit: 500mb");
      assertThat(status(worker.call(topic, "run:log", earlyLog))).isEqualTo("ok");
      String stepA = UUID.randomUUID().toString();
      Frame tooEarly = worker.call(topic, "step:start", stepStart(stepA, "a", dataclipId));
      assertThat(status(tooEarly)).isEqualTo("error");

      Frame started = worker.call(topic, "run:start", Json.parse("{\"versions\":{},\"timestamp\":\"1732838400123456\"}"));
      assertThat(status(started)).isEqualTo("ok");
      assertThat(response(started).isNull()).isTrue();
      assertThat(status(worker.call(topic, "run:start", Json.object()))).isEqualTo("error");

      Frame unknownJob = worker.call(topic, "step:start", stepStart(UUID.randomUUID().toString(), "nope", null));
      assertThat(Json.write(response(unknownJob))).contains("job_id");
      assertThat(status(worker.call(topic, "step:start", stepStart("not-a-uuid", "a", null)))).isEqualTo("error");
      assertThat(response(worker.call(topic, "step:start", stepStart(stepA, "a", dataclipId))).get("step_id")
          .asText()).isEqualTo(stepA);
      Frame foreignStepLog = worker.call(topic, "run:log", log(UUID.randomUUID().toString(), "x"));
      assertThat(Json.write(response(foreignStepLog))).contains("must be associated with the run");
      assertThat(response(worker.call(topic, "run:log", log(stepA, "hello"))).has("log_line_id")).isTrue();
      ObjectNode batch = Json.object().put("run_id", runId);
      batch.putArray("logs").add(log(stepA, "one")).add(log(stepA, "two"));
      Frame batchReply = worker.call(topic, "run:batch_logs", batch);
      assertThat(Json.write(response(batchReply))).isEqualTo("{}");

      Frame unknownStep = worker.call(topic, "step:complete", stepComplete(UUID.randomUUID().toString(), "x"));
      assertThat(status(unknownStep)).isEqualTo("error");
      assertThat(Json.write(response(unknownStep))).contains("was not started");
      ObjectNode halfClip = stepComplete(stepA, "a");
      halfClip.remove("output_dataclip_id");
      assertThat(status(worker.call(topic, "step:complete", halfClip))).isEqualTo("error");
      String outA = UUID.randomUUID().toString();
      ObjectNode completeA = stepComplete(stepA, "a").put("output_dataclip_id", outA);
      assertThat(status(worker.call(topic, "step:complete", completeA))).isEqualTo("ok");
      assertThat(status(worker.call(topic, "step:complete", completeA))).isEqualTo("error");

      String stepB = UUID.randomUUID().toString();
      Frame unknownInput = worker.call(topic, "step:start", stepStart(stepB, "b", UUID.randomUUID().toString()));
      assertThat(Json.write(response(unknownInput))).isEqualTo("{\"errors\":{\"input_dataclip_id\":[\"does not exist\"]}}");
      assertThat(status(worker.call(topic, "step:start", stepStart(stepB, "b", outA)))).isEqualTo("ok");
      ObjectNode failB = stepComplete(stepB, "b").put("output_dataclip_id", UUID.randomUUID().toString())
          .put("reason", "fail").put("error_type", "RuntimeError").put("error_message", "TypeError: boom");
      assertThat(status(worker.call(topic, "step:complete", failB))).isEqualTo("ok");

      assertThat(status(worker.call(topic, "run:complete", Json.object().put("reason", "nonsense"))))
          .isEqualTo("error");
      ObjectNode complete = Json.object().put("reason", "fail").put("error_type", "RuntimeError")
          .put("error_message", "TypeError: boom").put("timestamp", "1732838400523456");
      complete.set("final_state", Json.parse("{\"data\":{\"n\":2}}"));
      Frame done = worker.call(topic, "run:complete", complete);
      assertThat(status(done)).isEqualTo("ok");
      assertThat(response(done).isNull()).isTrue();
      Frame after = worker.call(topic, "run:log", log(null, "late"));
      assertThat(Json.write(response(after))).contains("already in completed state");

      Frame left = worker.call(topic, "phx_leave", Json.object());
      assertThat(status(left)).isEqualTo("ok");
      assertThat(worker.await(f -> f.event().equals("phx_close") && f.topic().equals(topic), "phx_close"))
          .isNotNull();

      assertThat(LostRunsIntegrationTest.follow(server, runId).get(10, java.util.concurrent.TimeUnit.SECONDS))
          .extracting(line -> line.substring(0, line.indexOf(' ')))
          .containsExactly("run:log", "run:start", "step:start", "run:log", "run:batch_logs", "step:complete",
              "step:start", "step:complete", "run:complete");
      // This server's only stored events are this run's (ids 1..9): resuming after 8 gives the last one.
      assertThat(LostRunsIntegrationTest.follow(server, runId, "8").get(10, java.util.concurrent.TimeUnit.SECONDS))
          .singleElement().asString().startsWith("run:complete ");

      JsonNode run = TestHttp.run(server, runId);
      assertThat(run.get("state").asText()).isEqualTo("failed");
      assertThat(run.get("error_type").asText()).isEqualTo("RuntimeError");
      assertThat(run.get("final_state").get("data").get("n").asInt()).isEqualTo(2);
      assertThat(run.get("input").get("data").get("n").asInt()).isEqualTo(1);
      JsonNode steps = run.get("steps");
      assertThat(steps).hasSize(2);
      assertThat(steps.get(0).get("exit_reason").asText()).isEqualTo("success");
      assertThat(steps.get(0).get("input_dataclip").get("data").get("n").asInt()).isEqualTo(1);
      assertThat(steps.get(0).get("output_dataclip").get("data").get("x").asInt()).isEqualTo(1);
      assertThat(steps.get(1).get("exit_reason").asText()).isEqualTo("fail");
      assertThat(steps.get(1).get("input_dataclip_id").asText()).isEqualTo(outA);
      assertThat(run.get("logs")).extracting(l -> l.get("message").get(0).asText())
          .containsExactly("Memory limit: 500mb", "hello", "one", "two");
    }
  }

  @Test
  void reasonsMapToLightningsRunStates() throws Exception {
    for (String[] pair : new String[][] {{"success", "success"}, {"crash", "crashed"}, {"kill", "killed"},
        {"exception", "exception"}, {"cancel", "cancelled"}}) {
      String runId = TestHttp.submit(server, PLAN, null);
      try (PhoenixTestClient worker = connectWorker()) {
        worker.join("worker:queue", Json.object());
        JsonNode claimed = response(worker.call("worker:queue", "claim",
            Json.parse("{\"demand\":1,\"worker_name\":null}"))).get("runs").get(0);
        assertThat(claimed.get("id").asText()).isEqualTo(runId);
        worker.join("run:" + runId, Json.object().put("token", claimed.get("token").asText()));
        assertThat(status(worker.call("run:" + runId, "run:complete", Json.object().put("reason", pair[0]))))
            .isEqualTo("ok");
      }
      assertThat(TestHttp.run(server, runId).get("state").asText()).as(pair[0]).isEqualTo(pair[1]);
    }
  }

  @Test
  void droppedSocketsReconnectAndRejoinTheirRun() throws Exception {
    String runId = TestHttp.submit(server, PLAN, null);
    String token;
    try (PhoenixTestClient worker = connectWorker()) {
      worker.join("worker:queue", Json.object());
      token = LostRunsIntegrationTest.claimAndJoin(worker, runId);
      assertThat(status(worker.call("run:" + runId, "run:start", Json.object()))).isEqualTo("ok");
      assertThat(server.workerConnections()).isEqualTo(1);
      server.dropWorkerConnections();
      assertThat(worker.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isNotEqualTo(1000);
    }
    try (PhoenixTestClient worker = connectWorker()) {
      assertThat(status(worker.join("run:" + runId, Json.object().put("token", token)))).isEqualTo("ok");
      assertThat(status(worker.call("run:" + runId, "run:complete", Json.object().put("reason", "success"))))
          .isEqualTo("ok");
    }
    assertThat(TestHttp.run(server, runId).get("state").asText()).isEqualTo("success");
  }

  static ObjectNode log(String stepId, String message) {
    ObjectNode log = Json.object().put("source", "R/T").put("level", "info").put("timestamp",
        Long.toString(Clock.nowMicros()));
    log.putArray("message").add(message);
    if (stepId != null) {
      log.put("step_id", stepId);
    }
    return log;
  }

  static ObjectNode stepStart(String stepId, String jobId, String input) {
    ObjectNode payload = Json.object().put("step_id", stepId).put("job_id", jobId)
        .put("timestamp", Long.toString(Clock.nowMicros()));
    if (input != null) {
      payload.put("input_dataclip_id", input);
    }
    return payload;
  }

  static ObjectNode stepComplete(String stepId, String jobId) {
    ObjectNode payload = Json.object().put("step_id", stepId).put("job_id", jobId)
        .put("output_dataclip", "{\"data\":{\"x\":1}}").put("reason", "success");
    payload.putNull("error_type");
    payload.putNull("error_message");
    payload.put("timestamp", Long.toString(Clock.nowMicros()));
    return payload;
  }
}
