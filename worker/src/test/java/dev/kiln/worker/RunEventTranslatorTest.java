package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.engine.RunEvent;
import dev.kiln.lightning.plan.RunOptions;
import dev.kiln.runtime.protocol.Body;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunEventTranslatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PLAN = """
      {"id":"r1","workflow":{"steps":[
        {"id":"t","next":{"a":true}},
        {"id":"a","expression":"x","next":{"b":{"condition":"on_job_failure"},"c":{"condition":"on_job_success","disabled":true}}},
        {"id":"b","expression":"x"},
        {"id":"c","expression":"x"}]},"options":{}}""";

  private final List<OutgoingEvent> sent = new ArrayList<>();

  static WorkerConfig config() {
    return new WorkerConfig(0, "ws://x", "s", null, Workloop.ofCapacity(5), 1000, 10000, true, 30, 3600, 500, 10, 1,
        300, List.of("configuration", "response"), false, 10, 50, null, null, Path.of("/tmp/repo"), null, null,
        Path.of("/tmp/kiln-data"));
  }

  private RunEventTranslator translator(RunOptions options) throws Exception {
    return new RunEventTranslator("r1", JSON.readTree(PLAN), "d0", RunSettings.resolve(options, config()),
        Map.of("worker", "1.0", "engine", "1.0"), sent::add);
  }

  private static RunEvent event(String type, String meta, String state) throws Exception {
    return new RunEvent(type, (ObjectNode) JSON.readTree(meta), state == null ? null : Body.ofText(state));
  }

  private JsonNode payload(String event, int index) {
    return sent.stream().filter(e -> e.event().equals(event)).skip(index).findFirst().orElseThrow().payload();
  }

  private List<String> eventNames() {
    return sent.stream().map(OutgoingEvent::event).toList();
  }

  @Test
  void aHandledFailureIsNotARunFailureAndDataclipIdsChain() throws Exception {
    RunEventTranslator t = translator(RunOptions.NONE);
    t.onEvent(event(RunEvent.WORKFLOW_START, "{\"versions\":{\"node\":\"22.12.0\",\"@openfn/language-common\":[\"3.3.4\"]}}", null));
    t.onEvent(event(RunEvent.STEP_START, "{\"stepId\":\"a\",\"time\":\"1732838400123456789\"}", null));
    t.onEvent(event(RunEvent.LOG, "{\"level\":\"info\",\"name\":\"JOB\",\"message\":\"[\\\"hi\\\",{\\\"a\\\":1}]\"}", null));
    t.onEvent(event(RunEvent.STEP_ERROR, "{\"stepId\":\"a\",\"next\":[\"b\"],\"duration\":5,\"mem\":{\"job\":1,\"system\":2},"
        + "\"error\":{\"severity\":\"fail\",\"name\":\"JobError\",\"message\":\"bad\"}}", "{\"data\":{},\"errors\":{}}"));
    t.onEvent(event(RunEvent.STEP_START, "{\"stepId\":\"b\"}", null));
    t.onEvent(event(RunEvent.STEP_COMPLETE, "{\"stepId\":\"b\",\"next\":[]}", "{\"data\":{\"ok\":true}}"));
    t.onEvent(event(RunEvent.WORKFLOW_COMPLETE, "{}", "{\"data\":{\"ok\":true}}"));

    assertThat(eventNames()).containsExactly("run:start", "run:log", "run:log", "step:start", "run:log", "step:complete",
        "step:start", "step:complete", "run:log", "run:complete");
    assertThat(payload("run:start", 0).path("versions").path("@openfn/language-common").get(0).asText()).isEqualTo("3.3.4");
    assertThat(payload("step:start", 0).path("input_dataclip_id").asText()).isEqualTo("d0");
    assertThat(payload("step:start", 0).path("timestamp").asText()).isEqualTo("1732838400123456");
    JsonNode log = payload("run:log", 2);
    assertThat(log.path("message").toString()).isEqualTo("[\"hi\",{\"a\":1}]");
    assertThat(log.path("step_id").asText()).isEqualTo(payload("step:start", 0).path("step_id").asText());
    JsonNode failed = payload("step:complete", 0);
    assertThat(failed.path("reason").asText()).isEqualTo("fail");
    assertThat(failed.path("error_type").asText()).isEqualTo("JobError");
    assertThat(payload("step:start", 1).path("input_dataclip_id").asText())
        .isEqualTo(failed.path("output_dataclip_id").asText());
    JsonNode complete = payload("run:complete", 0);
    assertThat(complete.path("reason").asText()).isEqualTo("success");
    assertThat(complete.path("final_state").toString()).isEqualTo("{\"data\":{\"ok\":true}}");
    assertThat(complete.path("final_dataclip_id").asText()).isEqualTo(payload("step:complete", 1).path("output_dataclip_id").asText());
    assertThat(payload("run:log", 3).path("message").get(0).asText()).isEqualTo("Run complete with status: success");
  }

  @Test
  void aFailedLeafFailsTheRun() throws Exception {
    RunEventTranslator t = translator(RunOptions.NONE);
    t.onEvent(event(RunEvent.STEP_START, "{\"stepId\":\"a\"}", null));
    t.onEvent(event(RunEvent.STEP_ERROR, "{\"stepId\":\"a\",\"next\":[],"
        + "\"error\":{\"severity\":\"fail\",\"name\":\"RuntimeError\",\"message\":\"TypeError: x\"}}", "{}"));
    t.onEvent(event(RunEvent.WORKFLOW_COMPLETE, "{}", "{}"));
    JsonNode complete = payload("run:complete", 0);
    assertThat(complete.path("reason").asText()).isEqualTo("fail");
    assertThat(complete.path("error_type").asText()).isEqualTo("RuntimeError");
    assertThat(complete.path("error_message").asText()).isEqualTo("TypeError: x");
    assertThat(sent.stream().filter(e -> e.isLog()).map(e -> e.payload().path("message").get(0).asText()))
        .contains("RuntimeError: TypeError: x");
  }

  @Test
  void aCrashMidStepSynthesizesItsStepCompleteAndEndsWithoutState() throws Exception {
    RunEventTranslator t = translator(RunOptions.NONE);
    t.onEvent(event(RunEvent.STEP_START, "{\"stepId\":\"a\"}", null));
    t.onEvent(event(RunEvent.WORKFLOW_ERROR, "{\"type\":\"OOMError\",\"message\":\"Run exceeded maximum memory usage\","
        + "\"severity\":\"kill\"}", null));
    JsonNode step = payload("step:complete", 0);
    assertThat(step.path("reason").asText()).isEqualTo("kill");
    assertThat(step.path("output_dataclip").asText()).isEqualTo("{}");
    assertThat(step.has("mem")).isFalse();
    assertThat(step.has("timestamp")).isFalse();
    JsonNode complete = payload("run:complete", 0);
    assertThat(complete.fieldNames()).toIterable().containsExactly("reason", "error_type", "error_message");
    assertThat(complete.path("error_type").asText()).isEqualTo("OOMError");
    assertThat(t.finished()).isTrue();
    int count = sent.size();
    t.failRun(new ExitReason("exception", "ExecutionError", "late"));
    assertThat(sent).hasSize(count);
  }

  @Test
  void payloadLimitWithholdsTheDataclipButNotTheDownstreamState() throws Exception {
    RunEventTranslator t = translator(new RunOptions(null, null, 0.0, null, null, null, null));
    t.onEvent(event(RunEvent.STEP_START, "{\"stepId\":\"a\"}", null));
    t.onEvent(event(RunEvent.LOG, "{\"level\":\"info\",\"name\":\"JOB\",\"message\":[\"x\"]}", null));
    t.onEvent(event(RunEvent.STEP_COMPLETE, "{\"stepId\":\"a\",\"next\":[\"b\"]}", "{\"data\":\"aaaa\"}"));
    t.onEvent(event(RunEvent.STEP_START, "{\"stepId\":\"b\"}", null));
    JsonNode step = payload("step:complete", 0);
    assertThat(step.path("output_dataclip_error").asText()).isEqualTo("DATACLIP_TOO_LARGE");
    assertThat(step.has("output_dataclip_id")).isFalse();
    assertThat(step.has("output_dataclip")).isFalse();
    assertThat(payload("step:start", 1).has("input_dataclip_id")).isFalse();
    assertThat(payload("run:log", 0).path("message").get(0).asText()).contains("redacted");
    assertThat(payload("run:log", 1).path("message").get(0).asText())
        .isEqualTo("Dataclip exceeds payload limit: output will not be sent back to the app.");
  }

  @Test
  void aStateTheEngineDidNotKeepIsOverThePayloadLimit() throws Exception {
    RunSettings settings = RunSettings.resolve(RunOptions.NONE, config());
    assertThat(settings.limits().maxKeptBodyBytes()).as("the worker's 10 MB payload limit").isEqualTo(10 * 1024 * 1024);
    assertThat(settings.limits().payloadLimitMb()).as("the engine redacts nothing else itself").isZero();
    RunEventTranslator t = translator(RunOptions.NONE);
    t.onEvent(event(RunEvent.STEP_START, "{\"stepId\":\"a\"}", null));
    t.onEvent(event(RunEvent.STEP_COMPLETE, "{\"stepId\":\"a\",\"next\":[],\"redacted\":true}", "{\"data\":\"[REDACTED]\"}"));
    t.onEvent(event(RunEvent.WORKFLOW_COMPLETE, "{\"redacted\":true}", "{\"data\":\"[REDACTED]\"}"));

    JsonNode step = payload("step:complete", 0);
    assertThat(step.path("output_dataclip_error").asText()).isEqualTo("DATACLIP_TOO_LARGE");
    assertThat(step.has("output_dataclip")).isFalse();
    assertThat(payload("run:complete", 0).path("final_state").toString()).isEqualTo("{\"data\":\"[REDACTED]\"}");
  }

  @Test
  void outputDataclipsFalseSendsTheIdOnly() throws Exception {
    RunEventTranslator t = translator(new RunOptions(null, null, null, null, false, null, null));
    t.onEvent(event(RunEvent.STEP_START, "{\"stepId\":\"a\"}", null));
    t.onEvent(event(RunEvent.STEP_COMPLETE, "{\"stepId\":\"a\",\"next\":[]}",
        "{\"data\":1,\"webhookResponse\":{\"status\":201}}"));
    JsonNode step = payload("step:complete", 0);
    assertThat(step.has("output_dataclip_id")).isTrue();
    assertThat(step.has("output_dataclip")).isFalse();
    assertThat(step.path("webhook_response").path("status").asInt()).isEqualTo(201);
  }

  @Test
  void versionBlockPadsNamesAsTheReference() throws Exception {
    ObjectNode versions = (ObjectNode) JSON.readTree(
        "{\"worker\":\"1.25.0\",\"node\":\"18.12.0\",\"@openfn/language-common\":[\"1.7.7\"]}");
    assertThat(RunEventTranslator.versionBlock(versions)).isEqualTo("""
        Versions:
            ▸ node.js                    18.12.0
            ▸ worker                     1.25.0
            ▸ @openfn/language-common    1.7.7""");
  }

  @Test
  void logLinesOfARunGetDistinctIncreasingTimestamps() throws Exception {
    RunEventTranslator t = translator(RunOptions.NONE);
    t.onEvent(event(RunEvent.STEP_START, "{\"stepId\":\"a\",\"time\":\"1732838400123456789\"}", null));
    for (int i = 0; i < 3; i++) { // the same line, logged three times within one microsecond
      t.onEvent(event(RunEvent.LOG, "{\"level\":\"info\",\"name\":\"JOB\",\"message\":\"same\",\"time\":\"1732838400123456900\"}", null));
    }
    t.onEvent(event(RunEvent.LOG, "{\"level\":\"info\",\"name\":\"JOB\",\"message\":\"later\",\"time\":\"1732838400200000000\"}", null));
    assertThat(List.of(0, 1, 2, 3).stream().map(i -> payload("run:log", i).path("timestamp").asText()).toList())
        .containsExactly("1732838400123456", "1732838400123457", "1732838400123458", "1732838400200000");
  }

  /** A state in a file stays there: the payloads refer to it, and final_state shares the step's file. */
  @Test
  void statesInFilesAreReferredToNotCopied(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    RunEventTranslator t = translator(RunOptions.NONE);
    Path file = dir.resolve("state.json");
    String text = "{\"data\":{\"x\":\"" + "y".repeat(300_000) + "\"},\"webhookResponse\":{\"status\":202}}";
    java.nio.file.Files.writeString(file, text);
    Body state = Body.inFile(file);
    t.onEvent(event(RunEvent.STEP_START, "{\"stepId\":\"a\"}", null));
    t.onEvent(new RunEvent(RunEvent.STEP_COMPLETE, (ObjectNode) JSON.readTree("{\"stepId\":\"a\",\"next\":[]}"), state));
    t.onEvent(new RunEvent(RunEvent.WORKFLOW_COMPLETE, JSON.createObjectNode(), state));

    JsonNode step = payload("step:complete", 0);
    assertThat(step.get("output_dataclip").isPojo()).isTrue();
    assertThat(((com.fasterxml.jackson.databind.node.POJONode) step.get("output_dataclip")).getPojo())
        .isInstanceOfSatisfying(dev.kiln.lightning.protocol.StreamedJson.class, s -> {
          assertThat(s.file()).isEqualTo(file);
          assertThat(s.asString()).isTrue();
        });
    assertThat(step.path("webhook_response").path("status").asInt()).isEqualTo(202);
    JsonNode complete = payload("run:complete", 0);
    assertThat(((com.fasterxml.jackson.databind.node.POJONode) complete.get("final_state")).getPojo())
        .isInstanceOfSatisfying(dev.kiln.lightning.protocol.StreamedJson.class, s -> {
          assertThat(s.file()).isEqualTo(file);
          assertThat(s.asString()).isFalse();
        });
  }

  @Test
  void aStateInAFileOverThePayloadLimitIsWithheldFromItsSize(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    RunEventTranslator t = translator(new RunOptions(null, null, 1.0, null, null, null, null));
    Path file = dir.resolve("state.json");
    java.nio.file.Files.writeString(file, "{\"data\":\"" + "y".repeat(1_100_000) + "\"}");
    t.onEvent(event(RunEvent.STEP_START, "{\"stepId\":\"a\"}", null));
    t.onEvent(new RunEvent(RunEvent.STEP_COMPLETE, (ObjectNode) JSON.readTree("{\"stepId\":\"a\",\"next\":[]}"),
        Body.inFile(file)));
    t.onEvent(new RunEvent(RunEvent.WORKFLOW_COMPLETE, JSON.createObjectNode(), Body.inFile(file)));
    assertThat(payload("step:complete", 0).path("output_dataclip_error").asText()).isEqualTo("DATACLIP_TOO_LARGE");
    assertThat(payload("step:complete", 0).has("output_dataclip")).isFalse();
    assertThat(payload("run:complete", 0).path("final_state").toString()).isEqualTo("{\"data\":\"[REDACTED]\"}");
  }
}
