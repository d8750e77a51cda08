package dev.kiln.runtime;

import static dev.kiln.runtime.InJvmRuns.precompiled;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.protocol.FrameType;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Spec §7.6 (errors) and §7.7 (sandbox and security). */
@Tag("integration")
class ErrorsAndSandboxTest {

  private static RunFrames one(String expression) {
    ObjectNode plan = RunFrames.JSON.createObjectNode();
    plan.putObject("workflow").putArray("steps").addObject().put("id", "job-1").put("expression", expression);
    return precompiled(plan.toString());
  }

  /** state.errors['job-1'] of a run that completed. */
  private static JsonNode failure(String expression) {
    return one(expression).finalState().path("errors").path("job-1");
  }

  private static JsonNode crash(String expression) {
    return one(expression).workflowError();
  }

  @Test
  void invalidModulesCrash() {
    assertThat(crash("export default [console.debug(\"x\")]").path("message").asText()).isEqualTo("Invalid operation at statement 0");
    assertThat(crash("export default [console.debug(\"x\")]").path("type").asText()).isEqualTo("ValidationError");
    assertThat(crash("export default 5").path("message").asText())
        .isEqualTo("Invalid exports in job expression: exports must be an array");
    JsonNode syntax = crash("export default [s => s]; #");
    assertThat(syntax.path("type").asText()).isEqualTo("RuntimeCrash");
    assertThat(syntax.path("message").asText()).isEqualTo("SyntaxError: Invalid or unexpected token");
  }

  @Test
  void referenceErrorsCrashWithAPosition() {
    RunFrames run = one("export default [(s) => x]");
    JsonNode stepError = run.metas(FrameType.STEP_ERROR).get(0).path("error");
    assertThat(stepError.path("name").asText()).isEqualTo("RuntimeCrash");
    assertThat(stepError.path("subtype").asText()).isEqualTo("ReferenceError");
    assertThat(stepError.path("severity").asText()).isEqualTo("crash");
    assertThat(stepError.path("message").asText()).isEqualTo("ReferenceError: x is not defined");
    assertThat(stepError.path("pos").toString()).isEqualTo("{\"line\":1,\"column\":24}");
    assertThat(run.workflowError().path("type").asText()).isEqualTo("RuntimeCrash");
    assertThat(run.logLines()).contains("R/T error ReferenceError: x is not defined\n    at vm:module(0):1:24");
  }

  @Test
  void typeAndRangeErrorsFail() {
    assertThat(failure("export default [(s) => s.data.x.y]")).isEqualTo(RunFrames.lenient("""
        {source: 'runtime', name: 'RuntimeError', subtype: 'TypeError', severity: 'fail',
         message: "TypeError: Cannot read properties of undefined (reading 'y')", pos: {line: 1, column: 33}}"""));
    JsonNode range = failure("export default [(s) => { s.x = (1).toFixed(-1); }]");
    assertThat(range.path("name").asText()).isEqualTo("RuntimeError");
    assertThat(range.path("subtype").asText()).isEqualTo("RangeError");
    assertThat(range.path("pos").path("column").asInt()).isEqualTo(36);
  }

  @Test
  void thrownErrorsAndValuesAreJobErrors() {
    JsonNode expected = RunFrames.lenient("{source: 'runtime', name: 'JobError', severity: 'fail', message: 'abort'}");
    assertThat(failure("export default [() => { throw new Error(\"abort\"); }]")).isEqualTo(expected);
    assertThat(failure("export default [() => { throw \"abort\"; }]")).isEqualTo(expected);
  }

  @Test
  void sourceMappedErrorsNameTheStepAndTheSourceLine() {
    ObjectNode meta = (ObjectNode) RunFrames.lenient("""
        {plan: {workflow: {steps: [{id: 'src', expression: "export default [\\n  (s) => z\\n];"}]}}, options: {}}""");
    RunFrames run = InJvmRuns.runMeta(meta, null, new IdentityMapCompiler(List.of()));
    JsonNode error = run.metas(FrameType.STEP_ERROR).get(0).path("error");
    assertThat(error.path("pos")).isEqualTo(RunFrames.lenient("{line: 2, column: 10, src: '  (s) => z'}"));
    assertThat(error.path("step").asText()).isEqualTo("src");
    assertThat(run.logLines()).contains("R/T error Error occurred at: src\n2:   (s) => z\n            ^");
  }

  @Test
  void evalAndFunctionConstructorsAreSecurityKills() {
    for (String code : List.of("eval(\"ok\")", "new Function(\"return 1\")()", "({}).constructor.constructor(\"return 1\")()",
        "[][\"filter\"][\"constructor\"](\"return 1\")()")) {
      JsonNode error = crash("export default [(s) => { " + code + "; return s; }]");
      assertThat(error.path("type").asText()).as(code).isEqualTo("SecurityError");
      assertThat(error.path("severity").asText()).isEqualTo("kill");
      assertThat(error.path("message").asText()).isEqualTo("Illegal eval statement detected");
    }
  }

  @Test
  void hostObjectsDoNotExist() {
    for (String name : List.of("process.exit()", "process.pid", "require(\"fs\")", "fetch", "URL", "TextEncoder", "setImmediate")) {
      JsonNode error = crash("export default [(s) => { " + name + "; return s; }]");
      assertThat(error.path("type").asText()).as(name).isEqualTo("RuntimeCrash");
      assertThat(error.path("message").asText()).as(name).matches("ReferenceError: \\w+ is not defined");
    }
  }

  @Test
  void intrinsicsAndAllowedGlobalsWork() {
    one("export default [(s) => { s.data = [parseInt(\"42\"), parseFloat(\"1.5\"), new Set([1, 1]).size, Buffer.from(\"6a6f65\", \"hex\").toString(),"
        + " typeof JSON, typeof Math, typeof Promise]; return s; }]")
        .assertFinalState("{data: [42, 1.5, 1, 'joe', 'object', 'object', 'function']}");
    one("export default [(s) => new Promise((r) => setTimeout(() => r({data: 22}), 1))]").assertFinalState("{data: 22}");
  }

  @Test
  void bufferConstructorIsBlocked() {
    assertThat(failure("export default [(s) => { new Buffer(\"x\"); return s; }]")).isEqualTo(RunFrames.lenient(
        "{source: 'runtime', name: 'JobError', severity: 'fail', message: 'Do not call Buffer() constructor directly. Use Buffer.from() instead.'}"));
  }

  @Test
  void globalsAreFrozenButStateIsNot() {
    assertThat(failure("export default [(s) => { console.x = 10; return s; }]").path("message").asText())
        .isEqualTo("TypeError: Cannot add property x, object is not extensible");
    precompiled("{workflow: {steps: [{expression: 'export default [(s) => { state.data.x = state.data.x + 1; return state; }]'}]}}",
        "{data: {x: 21}}", "{}").assertFinalState("{data: {x: 22}}");
    assertThat(failure("export default [(s) => { setTimeout(\"string\"); return s; }]").path("message").asText())
        .contains("The \"callback\" argument must be of type function");
  }

  @Test
  void configurationIsScrubbedEvenAfterAnError() {
    RunFrames run = precompiled("{workflow: {steps: [{configuration: {password: 'p'}, expression: 'export default [(s) => { throw new Error(\"x\"); }]'}]}}");
    assertThat(run.finalState().has("configuration")).isFalse();
  }

  @Test
  void eachRunHasItsOwnRealm() {
    one("export default [(s) => { globalThis.leak = 1; Array.prototype.leak = 1; return s; }]").finalState();
    one("export default [(s) => { s.data = [typeof globalThis.leak, typeof [].leak]; return s; }]")
        .assertFinalState("{data: ['undefined', 'undefined']}");
  }
}
