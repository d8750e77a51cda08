package dev.kiln.engine;

import static dev.kiln.engine.RecordingListener.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.runtime.protocol.Body;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a run can end, each in a real run process; after each, the next run on the same
 * supervisor must succeed.
 */
@Tag("integration")
@Timeout(180)
class RunSupervisorIntegrationTest {
  private static final RunLimits SMALL = RunLimits.ofMemory(128, 60_000);

  @AfterEach
  void nextRunSucceeds() {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = TestPlans.run(
        TestPlans.oneStep("export default [s => ({ ...s, data: { n: 1 } })];"), null, RunLimits.defaults(), listener);
    assertThat(outcome.failure()).isNull();
    assertThat(json(outcome.finalState()).path("data").path("n").asInt()).isEqualTo(1);
  }

  @Test
  void completesAndStreamsEventsInOrder() {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = TestPlans.run(
        TestPlans.oneStep("job", "fn(s => { console.log('hi'); return { ...s, data: { x: s.data.x + 1 } }; })",
            TestPlans.COMMON),
        "{\"data\":{\"x\":41}}", RunLimits.defaults(), listener);

    assertThat(outcome.completed()).isTrue();
    assertThat(json(outcome.finalState()).path("data").path("x").asInt()).isEqualTo(42);
    assertThat(listener.types()).containsSubsequence(
        "autoinstall-complete", "workflow-start", "compile-start", "compile-complete", "step-start",
        "step-complete", "workflow-complete");
    assertThat(listener.types().stream().filter(t -> t.startsWith("workflow-c") || t.equals("workflow-error")))
        .containsExactly("workflow-complete");
    assertThat(listener.logText()).contains("hi").contains("Memory limit: 500mb");
    RunEvent step = listener.ofType(RunEvent.STEP_COMPLETE).get(0);
    assertThat(step.meta().path("peakRssMb").asLong()).isPositive();
    assertThat(listener.last().meta().path("workflowId").asText()).startsWith("test-");
    assertThat(outcome.reason()).isEqualTo("success");
    assertThat(listener.last().text("reason")).isEqualTo("success");
  }

  @Test
  void aFailedLeafStepCompletesWithReasonFail() {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = TestPlans.run(
        TestPlans.oneStep("export default [s => { throw new Error('no patients today'); }];"),
        null, SMALL, listener);

    assertThat(outcome.completed()).isTrue();
    assertThat(outcome.reason()).isEqualTo("fail");
    RunEvent last = listener.last();
    assertThat(last.type()).isEqualTo(RunEvent.WORKFLOW_COMPLETE);
    assertThat(last.text("reason")).isEqualTo("fail");
    assertThat(last.text("message")).contains("no patients today");
    assertThat(json(outcome.finalState()).path("errors").has("step-1")).isTrue();
  }

  @Test
  void endlessAllocationEndsWithOomWhileExecuting() {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = TestPlans.run(TestPlans.oneStep(
        "export default [s => { const keep = []; while (true) { keep.push({ n: Math.random(), s: 'x'.repeat(64) }); } }];"),
        null, SMALL, listener);

    assertFailure(outcome, listener, "OOMError", "kill", "Run exceeded maximum memory usage");
    assertThat(outcome.failure().phase()).isEqualTo(RunPhase.EXECUTE);
    assertThat(listener.last().meta().path("phase").asText()).isEqualTo("execute");
  }

  @Test
  void endlessNativeBuffersEndWithOomFromTheRssWatch() {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = TestPlans.run(TestPlans.oneStep(
        "export default [async s => { const keep = []; while (true) { keep.push(new Uint8Array(8 << 20).fill(1));"
            + " await new Promise(r => setTimeout(r, 1)); } }];"),
        null, SMALL, listener);

    assertFailure(outcome, listener, "OOMError", "kill", "Run exceeded maximum memory usage");
    assertThat(outcome.failure().phase()).isEqualTo(RunPhase.EXECUTE);
  }

  @Test
  void tenMegabyteMappingCompilesAndRunsUnder256Mb() {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = TestPlans.run(TestPlans.oneStep(TestPlans.mappingJob(10)), null,
        RunLimits.ofMemory(256, 120_000), listener);

    assertThat(outcome.failure()).isNull();
    JsonNode data = json(outcome.finalState()).path("data");
    assertThat(data.path("c7").asText()).isEqualTo("C-7");
    assertThat(data.path("size").asInt()).isEqualTo(10 * 1024 * 1024 / 64);
  }

  @Test
  void sixtyMegabyteMappingUnder64MbEndsWithOomWhileCompiling() {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = TestPlans.run(TestPlans.oneStep(TestPlans.mappingJob(60)), null,
        RunLimits.ofMemory(64, 120_000), listener);

    assertFailure(outcome, listener, "OOMError", "kill", "Run exceeded maximum memory usage");
    assertThat(outcome.failure().phase()).isEqualTo(RunPhase.COMPILE);
    assertThat(listener.last().meta().path("phase").asText()).isEqualTo("compile");
  }

  @Test
  void busyLoopEndsWithTimeout() {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = TestPlans.run(TestPlans.oneStep("export default [s => { while (true) {} }];"), null,
        RunLimits.ofMemory(256, 4_000), listener);

    assertFailure(outcome, listener, "TimeoutError", "kill", "Workflow failed to return within 4000ms");
    assertThat(outcome.durationMs()).isLessThan(Duration.ofSeconds(60).toMillis());
  }

  @Test
  void processExitInAJobCrashes() {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = TestPlans.run(TestPlans.oneStep("export default [s => { process.exit(3); return s; }];"),
        null, SMALL, listener);

    assertThat(outcome.failure()).isNotNull();
    assertThat(outcome.failure().severity()).isEqualTo("crash");
    assertThat(listener.ofType(RunEvent.WORKFLOW_ERROR)).hasSize(1);
  }

  @Test
  void uncaughtAsyncErrorCrashes() {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = TestPlans.run(TestPlans.oneStep(
        "export default [s => { setTimeout(() => { throw new Error('async boom'); }, 1);"
            + " return new Promise(resolve => setTimeout(() => resolve(s), 500)); }];"),
        null, SMALL, listener);

    assertFailure(outcome, listener, "ExecutionError", "crash", "");
    assertThat(outcome.failure().message()).contains("async boom");
  }

  @Test
  void syntaxErrorIsACompileErrorNamingStepAndLine() {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = TestPlans.run(TestPlans.oneStep("Broken step",
        "fn(s => s);\nfn(s => {\n  return s +;\n});", TestPlans.COMMON), null, SMALL, listener);

    assertThat(outcome.failure()).isNotNull();
    assertThat(outcome.failure().type()).isEqualTo("CompileError");
    assertThat(outcome.failure().severity()).isEqualTo("crash");
    assertThat(outcome.failure().message()).startsWith("Broken step: ").contains("(3:");
  }

  @Test
  void unknownAdaptorVersionIsAnAutoinstallErrorWithoutAProcess() {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = TestPlans.run(
        TestPlans.oneStep("job", "fn(s => s)", "@openfn/language-common@99.99.99"), null, SMALL, listener);

    assertFailure(outcome, listener, "AutoinstallError", "exception",
        "Error installing @openfn/language-common@99.99.99: ");
    assertThat(listener.types()).contains("autoinstall-error").doesNotContain("compile-start");
    assertThat(outcome.peakRssMb()).isZero();
  }

  @Test
  void aStateOverTheStateLimitIsKilled() {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = TestPlans.run(
        TestPlans.oneStep("export default [s => ({ data: 'x'.repeat(60 << 20) })];"), null,
        RunLimits.ofMemory(200, 60_000), listener);

    assertFailure(outcome, listener, "StateTooLargeError", "kill", "State exceeds the limit of 50mb");
  }

  /**
   * Large states go from the pipe to files in the spill folder, the input state from a file to the
   * process; the final state, the same bytes as the last step's output, is that step's file.
   */
  @Test
  void largeStatesAreFilesAndTheFinalStateSharesTheLastStepsFile(@TempDir Path spill) throws Exception {
    Path input = spill.resolve("input.json");
    Files.writeString(input, "{\"data\":{\"big\":\"" + "é".repeat(400_000) + "\"}}");
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = TestPlans.supervisor().run(new RunRequest(
        TestPlans.oneStep("export default [s => ({ data: { n: s.data.big.length, copy: s.data.big + '!' } })];"),
        Body.inFile(input), RunLimits.defaults(), null, null, spill.resolve("bodies")), listener);

    assertThat(outcome.completed()).as("%s", outcome.failure()).isTrue();
    Body step = listener.ofType(RunEvent.STEP_COMPLETE).get(0).body();
    assertThat(step.file()).hasParent(spill.resolve("bodies"));
    assertThat(outcome.finalBody()).isSameAs(listener.last().body());
    assertThat(outcome.finalBody().file()).isEqualTo(step.file());
    assertThat(json(outcome.finalState()).path("data").path("n").asInt()).isEqualTo(400_000);
    assertThat(json(outcome.finalState()).path("data").path("copy").asText()).isEqualTo("é".repeat(400_000) + "!");
    try (Stream<Path> files = Files.list(spill.resolve("bodies"))) {
      assertThat(files).as("one file for the step's output and the final state").hasSize(1);
    }
  }

  @Test
  void aStateOverThePayloadLimitIsRedactedInItsEvents() {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = TestPlans.run(
        TestPlans.oneStep("export default [s => ({ data: 'x'.repeat(2 << 20) })];"), null,
        RunLimits.defaults().withPayloadLimitMb(1), listener);

    assertThat(outcome.completed()).as("%s", outcome.failure()).isTrue();
    assertThat(outcome.finalState()).isEqualTo("{\"data\":\"[REDACTED]\"}");
    RunEvent step = listener.ofType(RunEvent.STEP_COMPLETE).get(0);
    assertThat(step.state()).isEqualTo("{\"data\":\"[REDACTED]\"}");
    assertThat(step.meta().path("redacted").asBoolean()).isTrue();
  }

  @Test
  void nonObjectFinalStateCompletesWithAWarning() {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = TestPlans.run(TestPlans.oneStep("export default [() => 42];"), null, SMALL, listener);

    assertThat(outcome.failure()).isNull();
    assertThat(outcome.finalState().strip()).isEqualTo("42");
    assertThat(listener.logText()).contains("42, not an object");
  }

  @Test
  void missingCredentialIsACredentialLoadError() {
    RecordingListener listener = new RecordingListener();
    var plan = TestPlans.oneStep("export default [s => s];");
    ((com.fasterxml.jackson.databind.node.ObjectNode) plan.path("workflow").path("steps").get(0))
        .put("configuration", "my-secret");
    RunOutcome outcome = TestPlans.supervisor().run(
        RunRequest.of(plan, null).withCredentials(id -> {
          throw new IllegalArgumentException("unknown id");
        }), listener);

    assertFailure(outcome, listener, "CredentialLoadError", "exception",
        "Failed to load credential my-secret: unknown id");
  }

  @Test
  void credentialsReachTheStep() {
    RecordingListener listener = new RecordingListener();
    var plan = TestPlans.oneStep("export default [s => ({ data: { user: s.configuration.user } })];");
    ((com.fasterxml.jackson.databind.node.ObjectNode) plan.path("workflow").path("steps").get(0))
        .put("configuration", "cred-1");
    RunOutcome outcome = TestPlans.supervisor().run(
        RunRequest.of(plan, null).withCredentials(id -> json("{\"user\":\"ada\"}")), listener);

    assertThat(outcome.failure()).isNull();
    assertThat(json(outcome.finalState()).path("data").path("user").asText()).isEqualTo("ada");
  }

  private static void assertFailure(
      RunOutcome outcome, RecordingListener listener, String type, String severity, String message) {
    assertThat(outcome.failure()).as("failure of %s", listener.types()).isNotNull();
    assertThat(outcome.failure().type()).isEqualTo(type);
    assertThat(outcome.failure().severity()).isEqualTo(severity);
    assertThat(outcome.failure().message()).startsWith(message);
    assertThat(listener.ofType(RunEvent.WORKFLOW_ERROR)).hasSize(1);
    assertThat(listener.ofType(RunEvent.WORKFLOW_COMPLETE)).isEmpty();
    RunEvent last = listener.last();
    assertThat(last.type()).isEqualTo(RunEvent.WORKFLOW_ERROR);
    assertThat(last.text("type")).isEqualTo(type);
    assertThat(last.text("severity")).isEqualTo(severity);
    assertThat(last.text("reason")).isEqualTo(severity);
    assertThat(outcome.reason()).isEqualTo(severity);
  }
}
