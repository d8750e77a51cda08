package dev.kiln.lightning.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadRecordsTest {
  @Test
  void queueJoinAndClaimUseTheWireNames() {
    assertThat(LightningJson.write(new QueueJoin(5, Map.of("manual>*", 5))))
        .isEqualTo("{\"capacity\":5,\"queues\":{\"manual>*\":5}}");
    assertThat(LightningJson.write(new ClaimRequest(1, "pod-7", List.of("fast_lane"))))
        .isEqualTo("{\"demand\":1,\"worker_name\":\"pod-7\",\"queues\":[\"fast_lane\"]}");
  }

  @Test
  void claimReplyIsReadLeniently() {
    ClaimReply reply = LightningJson.read(
        LightningJson.parse("{\"runs\":[{\"id\":\"r1\",\"token\":\"x.y.z\",\"extra\":1}]}"), ClaimReply.class);
    assertThat(reply.runs()).containsExactly(new ClaimReply.ClaimedRun("r1", "x.y.z"));
    assertThat(LightningJson.read(LightningJson.parse("{}"), ClaimReply.class).runs()).isEmpty();
  }

  @Test
  void stepStartOmitsAnUnknownInputDataclip() {
    assertThat(LightningJson.write(new StepStart("s", "j", null, "1732838400223456")))
        .isEqualTo("{\"step_id\":\"s\",\"job_id\":\"j\",\"timestamp\":\"1732838400223456\"}");
  }

  @Test
  void stepCompleteSendsTheDataclipAsAJsonString() {
    StepComplete complete = new StepComplete("s", "j", "d", "{\"data\":{\"x\":1}}", null, "success", null, null,
        new StepComplete.Mem(1, 2), 152L, 1L, "1732838400423456", RawJson.of("{\"status\":200}"));
    assertThat(LightningJson.write(complete)).isEqualTo(
        "{\"step_id\":\"s\",\"job_id\":\"j\",\"output_dataclip_id\":\"d\",\"output_dataclip\":\"{\\\"data\\\":{\\\"x\\\":1}}\","
            + "\"reason\":\"success\",\"error_type\":null,\"error_message\":null,\"mem\":{\"job\":1,\"system\":2},"
            + "\"duration\":152,\"thread_id\":1,\"timestamp\":\"1732838400423456\",\"webhook_response\":{\"status\":200}}");
  }

  @Test
  void withheldAndSynthesisedStepCompletes() {
    StepComplete tooLarge = new StepComplete("s", "j", null, null, StepComplete.DATACLIP_TOO_LARGE, "success",
        null, null, null, null, null, null, null);
    assertThat(LightningJson.write(tooLarge)).isEqualTo(
        "{\"step_id\":\"s\",\"job_id\":\"j\",\"output_dataclip_error\":\"DATACLIP_TOO_LARGE\",\"reason\":\"success\","
            + "\"error_type\":null,\"error_message\":null}");
  }

  @Test
  void runCompleteSuccessAndErrorPaths() {
    assertThat(LightningJson.write(new RunComplete("success", null, null, "1", RawJson.of("{\"data\":{}}"), "d")))
        .isEqualTo("{\"reason\":\"success\",\"error_type\":null,\"error_message\":null,\"timestamp\":\"1\","
            + "\"final_state\":{\"data\":{}},\"final_dataclip_id\":\"d\"}");
    assertThat(LightningJson.write(RunComplete.failed("kill", "TimeoutError", "Workflow failed to return within 100ms")))
        .isEqualTo("{\"reason\":\"kill\",\"error_type\":\"TimeoutError\",\"error_message\":\"Workflow failed to return within 100ms\"}");
  }

  @Test
  void logsCarryTheMessageArrayVerbatimAndStepIdOnlyWhenKnown() {
    LogLine line = new LogLine(RawJson.of("[\"hello\",{\"a\":1}]"), "JOB", "info", "1732838400323456", null);
    assertThat(LightningJson.write(RunLog.of("r", line))).isEqualTo(
        "{\"run_id\":\"r\",\"message\":[\"hello\",{\"a\":1}],\"source\":\"JOB\",\"level\":\"info\",\"timestamp\":\"1732838400323456\"}");
    assertThat(LightningJson.write(new BatchLogs("r", List.of(line)))).isEqualTo(
        "{\"run_id\":\"r\",\"logs\":[{\"message\":[\"hello\",{\"a\":1}],\"source\":\"JOB\",\"level\":\"info\",\"timestamp\":\"1732838400323456\"}]}");
    RunLog back = LightningJson.read(LightningJson.parse(LightningJson.write(RunLog.of("r", line))), RunLog.class);
    assertThat(back.message().json()).isEqualTo("[\"hello\",{\"a\":1}]");
    assertThat(back.line()).isEqualTo(line);
  }

  @Test
  void runStartVersions() {
    assertThat(LightningJson.write(new RunStart(
            new java.util.LinkedHashMap<>(Map.of("worker", "1.0.0")), "1732838400123456")))
        .isEqualTo("{\"versions\":{\"worker\":\"1.0.0\"},\"timestamp\":\"1732838400123456\"}");
  }

  @Test
  void timestampsAreSixteenDigitMicroseconds() {
    Instant t = Instant.ofEpochSecond(1_732_838_400L, 123_456_789);
    assertThat(Timestamps.micros(t)).isEqualTo("1732838400123456").hasSize(16);
    assertThat(Timestamps.fromNanos("1732838400123456789")).isEqualTo("1732838400123456");
    assertThat(Timestamps.parse("1732838400123456")).isEqualTo(Instant.ofEpochSecond(1_732_838_400L, 123_456_000));
    assertThat(Timestamps.parse("1732838400123")).isEqualTo(Instant.ofEpochMilli(1_732_838_400_123L));
  }

  @Test
  void lightningPlanReadsTheSpecExample() {
    String json = """
        {"id":"run","project_id":"p","dataclip_id":"d","starting_node_id":"t",
         "triggers":[{"id":"t"}],
         "jobs":[{"id":"j1","name":"Fetch","adaptor":"@openfn/language-http@7.2.9","credential_id":"c9","body":"get('x');"}],
         "edges":[{"id":"e1","source_trigger_id":"t","source_job_id":null,"target_job_id":"j1","condition":"always","enabled":true}],
         "options":{"output_dataclips":true,"run_timeout_ms":300000}}""";
    LightningPlan plan = LightningJson.read(LightningJson.parse(json), LightningPlan.class);
    assertThat(plan.jobs().get(0).credentialId()).isEqualTo("c9");
    assertThat(plan.edges().get(0).enabled()).isTrue();
    assertThat(plan.options().path("run_timeout_ms").asLong()).isEqualTo(300000);
    assertThat(Events.runIdOf(Events.runTopic("run"))).isEqualTo("run");
  }
}
