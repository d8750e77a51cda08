package dev.kiln.runtime;

import static dev.kiln.runtime.InJvmRuns.precompiled;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.runtime.protocol.FrameType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Spec §7.3 (step execution) and §7.4 (expression execution), through the frames a run writes. */
@Tag("integration")
class StepExecutionTest {

  @Test
  void stepCompleteCarriesNextDurationMemAndTheCleanedState() {
    RunFrames run = precompiled("""
        {workflow: {steps: [
          {id: 'j', configuration: {a: 1}, expression: 'export default [s => s]', next: {k: true, a: false}},
          {id: 'k', expression: 'export default [s => s]'}, {id: 'a', expression: 'export default [s => s]'}]}}
        """);
    JsonNode complete = run.metas(FrameType.STEP_COMPLETE).get(0);
    assertThat(complete.path("stepId").asText()).isEqualTo("j");
    assertThat(complete.path("next").toString()).isEqualTo("[\"k\"]");
    assertThat(complete.path("duration").isNumber()).isTrue();
    assertThat(complete.path("mem").path("job").asLong()).isPositive();
    assertThat(complete.path("mem").path("system").asLong()).isPositive();
    assertThat(complete.path("time").asText()).matches("\\d{19,}");
    assertThat(run.ofType(FrameType.STEP_COMPLETE).get(0).bodyText()).isEqualTo("{\"data\":{}}");
    assertThat(run.metas(FrameType.STEP_START).get(0).toString()).contains("\"stepId\":\"j\"");
    assertThat(run.logLines()).anyMatch(l -> l.matches("R/T debug Step memory usage: \\[step \\d+mb\\] \\[system \\d+mb\\]"));
  }

  @Test
  void triggersSendNoStepFramesAndPassTheirInputUnchanged() {
    RunFrames run = precompiled("{workflow: {steps: [{id: 't', next: 'j'}, {id: 'j', expression: 'export default [s => s]'}]}}",
        "{data: {}, configuration: {c: 1}}", "{}");
    assertThat(run.metas(FrameType.STEP_START)).hasSize(1);
    run.assertFinalState("{data: {}}");
  }

  @Test
  void stepErrorCarriesTheErrorAndTheErrorState() {
    RunFrames run = precompiled("""
        {workflow: {steps: [
          {id: 'j', expression: 'export default [s => { throw "e"; }]', next: {b: true}},
          {id: 'b', expression: 'export default [s => s]'}]}}
        """);
    JsonNode error = run.metas(FrameType.STEP_ERROR).get(0);
    assertThat(error.path("error").toString())
        .isEqualTo("{\"source\":\"runtime\",\"name\":\"JobError\",\"severity\":\"fail\",\"message\":\"e\"}");
    assertThat(error.path("next").toString()).isEqualTo("[\"b\"]");
    assertThat(RunFrames.parse(run.ofType(FrameType.STEP_ERROR).get(0).bodyText()))
        .isEqualTo(RunFrames.lenient("{data: {}, errors: {j: {source: 'runtime', name: 'JobError', severity: 'fail', message: 'e'}}}"));
  }

  @Test
  void warnsOnlyForNonLeafStepsThatReturnNothing() {
    RunFrames run = precompiled("""
        {workflow: {steps: [
          {id: 'a', expression: 'export default [s => undefined]', next: 'b'},
          {id: 'b', expression: 'export default [s => { s.data.got = true; return s; }]'}]}}
        """);
    assertThat(run.logLines()).contains(
        "R/T warn WARNING: step a did not return a state object. This may cause downstream jobs to fail.");
    // a downstream step of a step that returned nothing gets {}
    run.assertFinalState("{data: {got: true}}");
    RunFrames leaf = precompiled("{workflow: {steps: [{id: 'a', expression: 'export default [s => undefined]'}]}}");
    assertThat(leaf.logLines()).noneMatch(l -> l.contains("did not return a state object"));
    assertThat(leaf.finalState()).isNull();
  }

  @Test
  void operationsRunInSeriesSyncAndAsync() {
    precompiled("{workflow: {steps: [{expression: 'export default [s => { s.data.x = 2; return s; }, s => { s.data.x *= 6; return s; }]'}]}}")
        .assertFinalState("{data: {x: 12}}");
    precompiled("""
        {workflow: {steps: [{expression: 'export default [async s => { await new Promise(r => setTimeout(r, 1)); s.data.x = 2; return s; }, s => Promise.resolve({data: {x: s.data.x * 6}})]'}]}}
        """).assertFinalState("{data: {x: 12}}");
  }

  @Test
  void aFalsyOperationResultWarnsTheNextOperation() {
    RunFrames run = precompiled("{workflow: {steps: [{expression: 'export default [s => null, s => ({data: {was: String(s)}})]'}]}}");
    run.assertFinalState("{data: {was: 'undefined'}}");
    assertThat(run.logLines()).contains(
        "R/T debug Warning: operation 1 did not return state",
        "R/T warn WARNING: No state was passed into operation 2. Did the previous operation return state?",
        "R/T debug Starting operation 1");
    assertThat(run.logLines()).anyMatch(l -> l.matches("R/T debug Operation 2 complete in \\d+ms"));
  }

  @Test
  void immutableStateClonesBetweenOperations() {
    String plan = "{workflow: {steps: [{expression: 'let first; export default [s => { first = s; s.data.x = 1; return s; },"
        + " s => { s.data.same = s === first; return s; }]'}]}}";
    precompiled(plan).assertFinalState("{data: {x: 1, same: true}}");
    precompiled(plan, null, "{immutableState: true}").assertFinalState("{data: {x: 1, same: false}}");
  }

  @Test
  void jobConsoleLogsAsJob() {
    RunFrames run = precompiled("{workflow: {steps: [{expression: 'export default [s => { console.log(\"x\"); console.error(new Error(\"hi\")); return s; }]'}]}}");
    assertThat(run.logLines()).contains("JOB info x", "JOB error {\"name\":\"Error\",\"message\":\"hi\"}");
  }

  @Test
  void jobLogLevelAndSanitizeApply() {
    String plan = "{workflow: {steps: [{expression: 'export default [s => { console.debug(\"d\"); console.log({a: 1}, [1]); return s; }]'}]}}";
    RunFrames run = precompiled(plan, null, "{jobLogLevel: 'info', sanitize: 'summarize'}");
    assertThat(run.logLines()).filteredOn(l -> l.startsWith("JOB")).containsExactly("JOB info (object with keys a) (array with 1 items)");
    assertThat(precompiled(plan, null, "{sanitize: 'blur'}").workflowError().path("message").asText())
        .startsWith("Unknown sanitize value provided: blur");
  }

  @Test
  void anExportedExecuteWrapsTheOperations() {
    precompiled("""
        {workflow: {steps: [{expression: 'export const execute = (...ops) => s => ops.reduce((p, op) => p.then(op), Promise.resolve({...s, wrapped: true})); export default [s => s]'}]}}
        """).assertFinalState("{data: {}, wrapped: true}");
  }

  @Test
  void promisesReturnedByOperationsAreAwaited() {
    precompiled("{workflow: {steps: [{expression: 'export default [s => Promise.resolve(s).then(s => ({...s, x: 2}))]'}]}}")
        .assertFinalState("{data: {}, x: 2}");
    precompiled("{workflow: {steps: [{expression: 'export default [s => Promise.reject(new Error(\"no\")).catch(() => ({x: 3}))]'}]}}")
        .assertFinalState("{x: 3}");
  }

  @Test
  void theStepTimeoutKillsTheRunWithoutAStepError() {
    RunFrames run = precompiled("{workflow: {steps: [{id: 'slow', expression: 'export default [s => new Promise(r => setTimeout(() => r(s), 5000))]'}]},"
        + " options: {timeout: 10}}");
    JsonNode error = run.workflowError();
    assertThat(error.path("type").asText()).isEqualTo("TimeoutError");
    assertThat(error.path("severity").asText()).isEqualTo("kill");
    assertThat(error.path("message").asText()).isEqualTo("Job took longer than 10ms to complete");
    assertThat(run.types()).doesNotContain(FrameType.STEP_ERROR);
    assertThat(run.logLines()).contains("R/T error Error: Timeout expired (10ms)");
    assertThat(precompiled("{workflow: {steps: [{expression: 'export default [s => new Promise(r => setTimeout(() => r(s), 5000))]'}]}}",
        null, "{stepTimeoutMs: 20}").workflowError().path("message").asText()).isEqualTo("Job took longer than 20ms to complete");
  }

  @Test
  void theStepTimeoutAlsoStopsASynchronousEndlessLoop() {
    JsonNode error = precompiled("{workflow: {steps: [{id: 'spin', expression: 'export default [s => { while (true) {} }]'}]},"
        + " options: {timeout: 100}}").workflowError();
    assertThat(error.path("type").asText()).isEqualTo("TimeoutError");
    assertThat(error.path("severity").asText()).isEqualTo("kill");
    assertThat(error.path("message").asText()).isEqualTo("Job took longer than 100ms to complete");
    assertThat(error.path("stepId").asText()).isEqualTo("spin");
  }

  @Test
  void aMalformedInputStateIsAValidationError() {
    JsonNode error = InJvmRuns.runMeta((com.fasterxml.jackson.databind.node.ObjectNode) RunFrames.lenient(
        "{plan: {workflow: {steps: [{id: 'a', expression: 'export default [s => s]'}]}}, options: {compile: false}}"),
        "{\"data\": ", StepCompiler.PRECOMPILED).workflowError();
    assertThat(error.path("type").asText()).isEqualTo("ValidationError");
    assertThat(error.path("message").asText()).startsWith("The input state of step a is not valid JSON: ");
  }

  @Test
  void aPromiseThatCanNeverSettleEndsTheRunInsteadOfHanging() {
    JsonNode error = precompiled("{workflow: {steps: [{id: 'stuck', expression: 'export default [s => new Promise(() => {})]'}]}}")
        .workflowError();
    assertThat(error.path("type").asText()).isEqualTo("RuntimeCrash");
    assertThat(error.path("message").asText()).contains("never finished");
    assertThat(error.path("stepId").asText()).isEqualTo("stuck");
  }

  @Test
  void theStateSizeLimitKillsTheRun() {
    String plan = "{workflow: {steps: [{expression: 'export default [s => { s.data = \"z\".repeat(1024); return s; }]'}]}}";
    precompiled(plan).assertFinalState("{data: '" + "z".repeat(1024) + "'}");
    RunFrames run = precompiled(plan, null, "{stateLimitMb: 0.0009765625}");
    JsonNode error = run.workflowError();
    assertThat(error.path("type").asText()).isEqualTo("StateTooLargeError");
    assertThat(error.path("severity").asText()).isEqualTo("kill");
    assertThat(error.path("message").asText()).isEqualTo("State exceeds the limit of 0.0009765625mb");
    assertThat(run.logLines()).contains("R/T error Critical error processing state: State exceeds the limit of 0.0009765625mb");
  }

  @Test
  void nonObjectFinalStatesCompleteWithAWarning() {
    RunFrames number = precompiled("{workflow: {steps: [{expression: 'export default [() => 42]'}]}}");
    number.assertFinalState("42");
    assertThat(number.logLines()).anyMatch(l -> l.startsWith("R/T warn WARNING: the final state is the value 42, not an object"));
    RunFrames none = precompiled("{workflow: {steps: [{expression: 'export default [() => undefined]'}]}}");
    assertThat(none.finalState()).isNull();
    assertThat(none.logLines()).contains("R/T warn WARNING: the workflow produced no final state: no leaf step returned a state");
    RunFrames big = precompiled("{workflow: {steps: [{expression: 'export default [s => { s.data.n = 2n ** 70n; s.f = () => 1; s.self = s; return s; }]'}]}}");
    big.assertFinalState("{data: {n: '1180591620717411303424'}, self: '[Circular]'}");
    assertThat(big.logLines()).contains("R/T warn WARNING: state contained 1 BigInt value(s); they were written as strings");
    RunFrames hostile = precompiled("{workflow: {steps: [{id: 'h', expression: 'export default [s => ({toJSON() { throw new Error(\"nope\"); }})]'}]}}");
    assertThat(hostile.workflowError().path("message").asText()).isEqualTo("the state cannot be serialised to JSON: nope");
  }

  @Test
  void asynchronousThrowsEndTheRunInsteadOfTheProcess() {
    JsonNode floating = precompiled("{workflow: {steps: [{id: 'a', expression: \"export default [s => { Promise.reject(new Error('floating')); return s; },"
        + " s => new Promise(r => setTimeout(() => r(s), 20))]\"}]}}").workflowError();
    assertThat(floating.path("type").asText()).isEqualTo("ExecutionError");
    assertThat(floating.path("severity").asText()).isEqualTo("crash");
    assertThat(floating.path("message").asText()).isEqualTo("Unhandled promise rejection: floating");
    RunFrames timer = precompiled("{workflow: {steps: [{id: 'a', expression: \"export default [s => { setTimeout(() => { throw new Error('boom'); }, 0);"
        + " return new Promise(r => setTimeout(() => r(s), 50)); }]\"}]}}");
    assertThat(timer.workflowError().path("message").asText()).isEqualTo("Uncaught exception: boom");
    assertThat(timer.workflowError().path("stepId").asText()).isEqualTo("a");
    assertThat(timer.logLines()).anyMatch(l -> l.startsWith("R/T error Uncaught exception in job or adaptor code: Error: boom"));
  }
}
