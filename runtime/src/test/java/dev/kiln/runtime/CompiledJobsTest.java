package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.protocol.FrameType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Spec §7.10: job source compiled by Kiln's compiler (add-imports from the fixture adaptor's
 * type declarations), then run; and the compiler's source maps behind error positions.
 */
@Tag("integration")
class CompiledJobsTest {
  private static final String FIXTURE = "@openfn/language-fixture@1.0.0";

  private static RunFrames run(String source, String stepName, String input) {
    return run(source, stepName, input, null);
  }

  private static RunFrames run(String source, String stepName, String input, String globals) {
    ObjectNode meta = RunFrames.JSON.createObjectNode();
    ObjectNode workflow = meta.putObject("plan").putObject("workflow");
    if (globals != null) {
      workflow.put("globals", globals);
    }
    ObjectNode step = workflow.putArray("steps").addObject().put("id", "src").put("expression", source);
    if (stepName != null) {
      step.put("name", stepName);
    }
    step.putArray("adaptors").add(FIXTURE);
    meta.putObject("options").put("repoDir", Fixtures.repo().toString());
    return InJvmRuns.runMeta(meta, input, new JobStepCompiler());
  }

  private static RunFrames run(String source) {
    return run(source, null, null);
  }

  @Test
  void fnReturnsTheStateUnchangedMinusConfiguration() {
    run("fn(s => s)", null, "{\"data\":{\"a\":1},\"configuration\":{\"k\":1}}").assertFinalState("{data: {a: 1}}");
  }

  @Test
  void exportedFunctionsAreUsable() {
    run("export const x = () => 90;\nfn(() => ({ x: x() }))").assertFinalState("{x: 90}");
  }

  @Test
  void promiseChainsCompileToDefer() {
    run("fn(s => s).then(() => ({ data: { x: 33 } }))").assertFinalState("{data: {x: 33}}");
    run("fn(() => ({ x: 1 })).then(s => ({ x: s.x + 1 }))").assertFinalState("{x: 2}");
    run("fn(() => { throw { err: true }; }).catch(e => e)").assertFinalState("{err: true}");
    run("fn(() => { throw new Error('err'); }).catch((e, s) => s)").assertFinalState("{data: {}}");
    assertThat(run("fn(() => { throw new Error('err'); }).catch(e => { throw e; })").finalState()
        .path("errors").path("src").path("name").asText()).isEqualTo("JobError");
  }

  @Test
  void lazyStateCompilesToFunctionsOfState() {
    run("fn(state => ({ ...state, data: { name: 'John', greet: n => 'Hello ' + n } }));\nfn($.data.greet($.data.name))")
        .assertFinalState("'Hello John'");
    run("each($.data.ids, fn(s => ({ ...s, seen: [...(s.seen ?? []), s.data] })))", null, "{\"data\":{\"ids\":[1,2]}}")
        .assertFinalState("{data: 2, seen: [1, 2]}");
  }

  @Test
  void aReferenceErrorIsMappedToTheSourceLine() {
    RunFrames run = run("fn((s) => z)");
    JsonNode error = run.metas(FrameType.STEP_ERROR).get(0).path("error");
    assertThat(error.path("message").asText()).isEqualTo("ReferenceError: z is not defined");
    assertThat(error.path("severity").asText()).isEqualTo("crash");
    assertThat(error.path("step").asText()).isEqualTo("src");
    assertThat(error.path("pos")).isEqualTo(RunFrames.lenient("{line: 1, column: 11, src: 'fn((s) => z)'}"));
    assertThat(run.workflowError().path("stepId").asText()).isEqualTo("src");
  }

  @Test
  void aTypeErrorIsMappedAndWrittenToState() {
    JsonNode error = run("// a comment\nfn((s) => s())").finalState().path("errors").path("src");
    assertThat(error.path("message").asText()).isEqualTo("TypeError: s is not a function");
    assertThat(error.path("pos")).isEqualTo(RunFrames.lenient("{line: 2, column: 11, src: 'fn((s) => s())'}"));
  }

  @Test
  void stepsWithANameMapErrorsUnderThatName() {
    JsonNode error = run("fn((s) => s.data.x.y)", "My Step", null).finalState().path("errors").path("src");
    assertThat(error.path("step").asText()).isEqualTo("My Step");
    assertThat(error.path("pos").path("src").asText()).isEqualTo("fn((s) => s.data.x.y)");
  }

  @Test
  void adaptorErrorsNameTheTopLevelOperationAndLine() {
    JsonNode error = run("fn(s => s);\n\nerr();").finalState().path("errors").path("src");
    assertThat(error.path("name").asText()).isEqualTo("AdaptorError");
    assertThat(error.path("operationName").asText()).isEqualTo("err");
    assertThat(error.path("line").asInt()).isEqualTo(3);
  }

  @Test
  void compileErrorsNameTheStepAndPosition() {
    RunFrames run = run("fn(s => s", "My Step", null);
    JsonNode error = run.workflowError();
    assertThat(run.logLines()).contains("R/T error Error occurred during compilation", "R/T error " + error.path("message").asText())
        .anyMatch(l -> l.startsWith("R/T error ") && l.contains("fn(s => s") && l.contains("^"));
    assertThat(error.path("type").asText()).isEqualTo("CompileError");
    assertThat(error.path("severity").asText()).isEqualTo("crash");
    assertThat(error.path("message").asText()).matches("My Step: .*\\(1:\\d+\\)");
  }

  @Test
  void workflowGlobalsAreNotImportedFromTheAdaptor() {
    String globals = "export const call = (f) => (s) => ({ ...s, data: 'from globals' });\nexport function helper() { return 1; }";
    run("call(() => 1)", null, null, globals).assertFinalState("{data: 'from globals'}");
    run("call(() => 1)").assertFinalState("{data: 1}");
    assertThat(GlobalsExports.names(globals + "\nconst a = 1, b = 2;\nexport { a, b as c };")).containsExactly("call", "helper", "a", "c");
    assertThat(GlobalsExports.names("export const = ;")).isEmpty();
  }
}
