package dev.kiln.runtime;

import static dev.kiln.runtime.InJvmRuns.precompiled;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.runtime.protocol.FrameType;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Spec §7.1 (plan execution) and the plan-level cases of §7.5, each in a fresh Node realm. */
@Tag("integration")
class PlanExecutionTest {

  private static List<String> stepStarts(RunFrames run) {
    return run.metas(FrameType.STEP_START).stream().map(m -> m.path("executionId").asText()).toList();
  }

  @Test
  void circularPlanIsAValidationError() {
    JsonNode error = precompiled("{workflow: {steps: [{id: 'a', expression: 'export default []', next: {b: true}},"
        + " {id: 'b', expression: 'export default []', next: {a: true}}]}}").workflowError();
    assertThat(error.path("type").asText()).isEqualTo("ValidationError");
    assertThat(error.path("severity").asText()).isEqualTo("crash");
    assertThat(error.path("message").asText()).isEqualTo("Circular dependency: b <-> a");
  }

  @Test
  void edgeToAMissingStepIsAValidationError() {
    RunFrames run = precompiled("{workflow: {steps: [{id: 'a', expression: 'export default []', next: 'z'}]}}");
    assertThat(run.workflowError().path("message").asText()).isEqualTo("Cannot find job: z");
    assertThat(run.logLines()).contains("R/T error Error validating execution plan", "R/T error Cannot find job: z");
  }

  @Test
  void illegalEdgeConditionsAreCollected() {
    JsonNode error = precompiled("{workflow: {steps: [{id: 'job1', expression: 'export default []', next: {job2: '!!!', job3: '@£^!!'}},"
        + " {id: 'job2', expression: 'export default []'}, {id: 'job3', expression: 'export default []'}]}}").workflowError();
    assertThat(error.path("type").asText()).isEqualTo("ValidationError");
    String[] messages = error.path("message").asText().split("\n\n");
    assertThat(messages).hasSize(2);
    assertThat(messages[0]).startsWith("Failed to compile edge condition job1->job2 (");
    assertThat(messages[1]).startsWith("Failed to compile edge condition job1->job3 (");
  }

  @Test
  void inlineStateAndInitialStateMerge() {
    precompiled("{workflow: {steps: [{expression: 'export default [s => s.data.x]', state: {data: {x: 22}}}]}}")
        .assertFinalState("22");
    precompiled("{workflow: {steps: [{expression: 'export default [s => s.data.x]'}]}}", "{data: {x: 33}}", "{}")
        .assertFinalState("33");
    precompiled("{workflow: {steps: [{expression: 'export default [s => s]', state: {data: {x: 1, y: 11}}}]}}",
        "{data: {x: 34}}", "{}").assertFinalState("{data: {x: 34, y: 11}}");
  }

  @Test
  void previousStepStateOverridesInlineData() {
    precompiled("""
        {workflow: {steps: [
          {id: 'a', expression: 'export default [s => { s.data.x = 5; return s; }]', next: {b: true}},
          {id: 'b', state: {data: {x: 88}}, expression: 'export default [s => { s.data.x += 1; return s; }]'}]}}
        """).assertFinalState("{data: {x: 6}}");
  }

  @Test
  void triggerStepsAndConditions() {
    String plan = """
        {workflow: {steps: [
          {id: 'trigger', next: {a: '%s'}},
          {id: 'a', expression: 'export default [s => { s.data.done = true; return s; }]'}]}}
        """;
    precompiled(plan.formatted("true")).assertFinalState("{data: {done: true}}");
    // the trigger is the only leaf when its edge is not followed: its output is its input, unchanged
    precompiled(plan.formatted("false")).assertFinalState("{data: {}, configuration: {}}");
    precompiled(plan.formatted("state.data.age > 18 "), "{data: {age: 20}}", "{}").assertFinalState("{data: {age: 20, done: true}}");
    RunFrames run = precompiled(plan.formatted("true"));
    assertThat(stepStarts(run)).containsExactly("a");
  }

  @Test
  void branchesOnlySeeTheirUpstreamState() {
    precompiled("""
        {workflow: {steps: [
          {id: 'start', expression: 'export default [s => s]', next: {x: true, y: true}},
          {id: 'x', expression: 'export default [s => { s.data.x = 2; s.data.y = 1; return s; }]', next: {b: true}},
          {id: 'y', expression: 'export default [s => { s.data.x = 1; s.data.y = 2; return s; }]', next: {b: true}},
          {id: 'b', expression: 'export default [s => s]'}]}}
        """).assertFinalState("{b: {data: {x: 2, y: 1}}, 'b-1': {data: {x: 1, y: 2}}}");
  }

  @Test
  void allStateKeysPassThroughAndConfigurationIsStripped() {
    precompiled("""
        {workflow: {steps: [
          {id: 'a', configuration: {secret: 1}, expression: 'export default [s => { s.x = 1; s.references = [s.configuration.secret]; return s; }]', next: 'b'},
          {id: 'b', expression: 'export default [s => { s.y = s.configuration === undefined ? "none" : Object.keys(s.configuration).length; return s; }]'}]}}
        """).assertFinalState("{data: {}, x: 1, references: [1], y: 0}");
  }

  @Test
  void aStepReachedTwiceRunsTwiceWithItsOwnInputs() {
    RunFrames run = precompiled("""
        {workflow: {steps: [
          {id: 'start', expression: 'export default [s => s]', next: {a: true, b: true}},
          {id: 'a', expression: 'export default [s => { s.data.a = true; return s; }]', next: {x: true}},
          {id: 'b', expression: 'export default [s => { s.data.b = true; return s; }]', next: {x: true}},
          {id: 'x', expression: 'export default [s => { s.keys = Object.keys(s.data); return s; }]', next: {y: true}},
          {id: 'y', expression: 'export default [s => s]'}]}}
        """);
    assertThat(stepStarts(run)).containsExactly("start", "a", "b", "x", "x-1", "y", "y-1");
    run.assertFinalState("{y: {data: {a: true}, keys: ['a']}, 'y-1': {data: {b: true}, keys: ['b']}}");
  }

  @Test
  void breadthFirstOrderInterleavesBranches() {
    RunFrames run = precompiled("""
        {workflow: {steps: [
          {id: 'start', expression: 'export default [s => s]', next: {c: true, b: true}},
          {id: 'b', expression: 'export default [s => s]', next: 'b2'},
          {id: 'c', expression: 'export default [s => s]', next: 'c2'},
          {id: 'b2', expression: 'export default [s => s]'},
          {id: 'c2', expression: 'export default [s => s]'}]}}
        """);
    assertThat(stepStarts(run)).containsExactly("start", "c", "b", "c2", "b2");
  }

  @Test
  void integerLikeEdgeKeysComeFirstAsInAJavaScriptObject() {
    RunFrames run = precompiled("""
        {workflow: {steps: [
          {id: 'start', expression: 'export default [s => s]', next: {z: true, '10': true, '2': true}},
          {id: 'z', expression: 'export default [s => s]'},
          {id: '10', expression: 'export default [s => s]'},
          {id: '2', expression: 'export default [s => s]'}]}}
        """);
    assertThat(stepStarts(run)).containsExactly("start", "2", "10", "z");
  }

  @Test
  void edgesFollowConditionsAndSkipDisabledOrConditionlessObjects() {
    String plan = """
        {workflow: {steps: [
          {id: 'job1', expression: 'export default [s => { s.data.x = 10; return s; }]', next: {job2: %s}},
          {id: 'job2', expression: 'export default [s => { s.data.y = 1; return s; }]'}]}}
        """;
    precompiled(plan.formatted("'state.data.x === 10'")).assertFinalState("{data: {x: 10, y: 1}}");
    precompiled(plan.formatted("false")).assertFinalState("{data: {x: 10}}");
    precompiled(plan.formatted("{condition: 'false'}")).assertFinalState("{data: {x: 10}}");
    precompiled(plan.formatted("{condition: 'true', disabled: true}")).assertFinalState("{data: {x: 10}}");
    precompiled(plan.formatted("{}")).assertFinalState("{data: {x: 10}}");
    precompiled(plan.formatted("{condition: 'always', label: 'l'}")).assertFinalState("{data: {x: 10, y: 1}}");
  }

  @Test
  void startAndEndOptions() {
    String steps = """
        [{id: 'a', expression: 'export default [s => { s.data.a = 1; return s; }]', next: 'b'},
         {id: 'b', expression: 'export default [s => { s.data.b = 1; return s; }]', next: 'c'},
         {id: 'c', expression: 'export default [s => { s.data.c = 1; return s; }]'}]
        """;
    precompiled("{workflow: {steps: " + steps + "}, options: {start: 'b'}}").assertFinalState("{data: {b: 1, c: 1}}");
    precompiled("{workflow: {start: 'b', steps: " + steps + "}}").assertFinalState("{data: {b: 1, c: 1}}");
    precompiled("{workflow: {start: 'a', steps: " + steps + "}, options: {start: 'c'}}").assertFinalState("{data: {c: 1}}");
    precompiled("{workflow: {steps: " + steps + "}, options: {end: 'b'}}").assertFinalState("{data: {a: 1, b: 1}}");
    precompiled("{workflow: {steps: " + steps + "}, options: {start: 'b', end: 'b'}}").assertFinalState("{data: {b: 1}}");
    assertThat(precompiled("{workflow: {steps: " + steps + "}, options: {start: 'z'}}").workflowError().path("message").asText())
        .isEqualTo("Could not find start job: z");
  }

  @Test
  void unconnectedStepsNeverRunAndChainsRunToTheEnd() {
    precompiled("""
        {workflow: {steps: [
          {id: 'a', expression: 'export default [s => { s.data.x = 1; return s; }]'},
          {id: 'b', expression: 'export default [s => { s.data.x = 2; return s; }]'}]}}
        """).assertFinalState("{data: {x: 1}}");
    StringBuilder chain = new StringBuilder("{workflow: {steps: [");
    for (int i = 1; i <= 5; i++) {
      chain.append("{id: 'j").append(i).append("', expression: 'export default [s => { s.data.x = (s.data.x ?? 0) + 1; return s; }]'")
          .append(i < 5 ? ", next: 'j" + (i + 1) + "'}," : "}");
    }
    precompiled(chain.append("]}}").toString()).assertFinalState("{data: {x: 5}}");
  }

  @Test
  void parallelLeavesAndLeavesWithoutAResult() {
    String plan = """
        {workflow: {steps: [
          {id: 'start', expression: 'export default [s => s]', next: {a: true, b: true, c: true}},
          {id: 'a', expression: 'export default [s => { s.data.x = 1; return s; }]'},
          {id: 'b', expression: 'export default [s => %s]'},
          {id: 'c', expression: 'export default [s => %s]'}]}}
        """;
    precompiled(plan.formatted("({data: {b: true}})", "({data: {c: true}})"))
        .assertFinalState("{a: {data: {x: 1}}, b: {data: {b: true}}, c: {data: {c: true}}}");
    precompiled(plan.formatted("null", "null")).assertFinalState("{data: {x: 1}}");
  }

  @Test
  void errorsAreWrittenToStateAndExecutionContinues() {
    RunFrames run = precompiled("""
        {workflow: {steps: [
          {id: 'a', expression: 'export default [s => { s.x = 1; throw "wibble"; }]', next: {b: true}},
          {id: 'b', expression: 'export default [s => { s.y = 20; return s; }]'}]}}
        """);
    run.assertFinalState("{data: {}, x: 1, y: 20, errors: {a: {source: 'runtime', name: 'JobError', severity: 'fail', message: 'wibble'}}}");
    assertThat(run.typesWithoutLogs()).containsSubsequence(FrameType.STEP_ERROR, FrameType.STEP_START, FrameType.STEP_COMPLETE);
    assertThat(run.logLines()).anyMatch(l -> l.matches("R/T error a aborted with error \\(\\d+ms\\)"))
        .contains("R/T info Check state.errors.a for details");
  }

  @Test
  void onErrorBranchingSeesStateErrors() {
    String plan = """
        {workflow: {steps: [
          {id: 'job1', expression: 'export default [s => { throw new Error("eee"); }]', next: {ok: '%s', recover: '%s'}},
          {id: 'ok', expression: 'export default [s => ({data: "ok"})]'},
          {id: 'recover', expression: 'export default [s => ({data: "recovered"})]'}]}}
        """;
    precompiled(plan.formatted("!state.errors", "state.errors")).assertFinalState("{data: 'recovered'}");
    precompiled(plan.formatted("on_job_success", "on_job_failure")).assertFinalState("{data: 'recovered'}");
    RunFrames success = precompiled(plan.replace("throw new Error(\"eee\")", "return s").formatted("on_job_success", "on_job_failure"));
    success.assertFinalState("{data: 'ok'}");
  }

  @Test
  void stepsShareNoScopeNorGlobals() {
    String plan = """
        {workflow: {steps: [
          {id: 'a', expression: '%s', next: 'b'},
          {id: 'b', expression: '%s'}]}}
        """;
    JsonNode local = precompiled(plan.formatted("const x = 10; export default [s => s]", "export default [s => { s.x = x; return s; }]"))
        .workflowError();
    assertThat(local.path("type").asText()).isEqualTo("RuntimeCrash");
    assertThat(local.path("message").asText()).isEqualTo("ReferenceError: x is not defined");
    assertThat(local.path("stepId").asText()).isEqualTo("b");
    precompiled(plan.formatted("export default [s => { globalThis.x = 10; return s; }]",
        "export default [s => { s.data.x = globalThis.x; return s; }]")).assertFinalState("{data: {}}");
  }

  @Test
  void circularReferencesAndFunctionsInState() {
    precompiled("{workflow: {steps: [{expression: 'export default [s => { const a = {}; a.b = {a}; s.data = a; return s; }]'}]}}")
        .assertFinalState("{data: {b: {a: '[Circular]'}}}");
    RunFrames run = precompiled("""
        {workflow: {steps: [
          {id: 'a', expression: 'export default [s => { s.data.x = () => 1; return s; }]', next: 'b'},
          {id: 'b', expression: 'export default [s => {\\n  s.data.y = s.data.x(); return s; }]'}]}}
        """);
    JsonNode error = run.finalState().path("errors").path("b");
    assertThat(error.path("name").asText()).isEqualTo("RuntimeError");
    assertThat(error.path("subtype").asText()).isEqualTo("TypeError");
    assertThat(error.path("message").asText()).isEqualTo("TypeError: s.data.x is not a function");
    assertThat(error.path("pos").toString()).isEqualTo("{\"line\":2,\"column\":21}");
  }

  @Test
  void stepLogsUseTheName() {
    RunFrames run = precompiled("{workflow: {name: 'wf', steps: [{id: 'a', name: 'do-the-thing', expression: 'export default [s => s]'}]}}");
    assertThat(run.logLines()).contains("R/T info Executing wf", "R/T info Starting step do-the-thing")
        .anyMatch(l -> l.matches("R/T success do-the-thing completed in \\d+ms"));
  }

  @Test
  void globalsModuleIsPerStepButSharedByTheOperationsOfAStep() {
    String globals = "let x = 10; export const bump = () => (x += 10); export const get = () => x;";
    precompiled("""
        {workflow: {globals: '%s', steps: [
          {id: 'a', expression: 'export default [s => { s.data.x1 = bump(); return s; }, s => { s.data.x2 = get(); return s; }]', next: 'b'},
          {id: 'b', expression: 'export default [s => { s.data.x3 = get(); return s; }]'}]}}
        """.formatted(globals)).assertFinalState("{data: {x1: 20, x2: 20, x3: 10}}");
  }

  @Test
  void workflowCredentialsReachTheJobButNeverLeaveIt() {
    precompiled("""
        {workflow: {credentials: {collection_token: 'j.w.t'}, steps: [
          {expression: 'export default [s => { s.data.seen = s.configuration; return s; }]'}]}}
        """).assertFinalState("{data: {seen: {collection_token: 'j.w.t'}}}");
  }

  @Test
  void credentialIdsResolveFromTheRunFrame() {
    com.fasterxml.jackson.databind.node.ObjectNode meta = (com.fasterxml.jackson.databind.node.ObjectNode) RunFrames.lenient("""
        {plan: {workflow: {steps: [{configuration: 'cred-1', expression: 'export default [s => { s.data.user = s.configuration.user; return s; }]'}]}},
         options: {compile: false}, credentials: {'cred-1': {user: 'u'}}}
        """);
    InJvmRuns.runMeta(meta, null, StepCompiler.PRECOMPILED).assertFinalState("{data: {user: 'u'}}");
    meta.remove("credentials");
    JsonNode error = InJvmRuns.runMeta(meta, null, StepCompiler.PRECOMPILED).workflowError();
    assertThat(error.path("type").asText()).isEqualTo("CredentialLoadError");
    assertThat(error.path("severity").asText()).isEqualTo("exception");
  }

  @Test
  void dataMayBeAnArrayAndStatePropsToRemoveIsConfigurable() {
    precompiled("{workflow: {steps: [{expression: 'export default [s => s]'}]}}", "{data: [1, 2]}", "{}")
        .assertFinalState("{data: [1, 2]}");
    precompiled("{workflow: {steps: [{configuration: {k: 1}, expression: 'export default [s => { s.x = 1; s.y = 2; return s; }]'}]}}",
        null, "{statePropsToRemove: ['x', 'y']}").assertFinalState("{data: {}, configuration: {k: 1}}");
    precompiled("{workflow: {steps: [{configuration: {k: 1}, expression: 'export default [s => s]'}]}}",
        null, "{statePropsToRemove: []}").assertFinalState("{data: {}, configuration: {k: 1}}");
  }

  @Test
  void aLaterStepMayOverwriteErrors() {
    precompiled("""
        {workflow: {steps: [
          {id: 'a', expression: 'export default [s => { throw new Error("x"); }]', next: 'b'},
          {id: 'b', expression: 'export default [s => { s.errors = 22; return s; }]'}]}}
        """).assertFinalState("{data: {}, errors: 22}");
  }

  @Test
  void workflowGlobalsCannotOverrideTheSandboxBuiltins() {
    String globals = "export const console = 1; export const parseInt = () => -1; export const setTimeout = 0; export const x = 90210;";
    precompiled("""
        {workflow: {globals: '%s', steps: [
          {expression: 'export default [s => { s.data = [typeof console.log, parseInt(\"7\"), typeof setTimeout, x]; return s; }]'}]}}
        """.formatted(globals)).assertFinalState("{data: ['function', 7, 'function', 90210]}");
  }

  @Test
  void globalsErrorsArePrefixed() {
    JsonNode error = precompiled("{workflow: {globals: 'export const x = y;', steps: [{expression: 'export default [s => s]'}]}}")
        .workflowError();
    assertThat(error.path("message").asText()).isEqualTo("ReferenceError: [globals] y is not defined");
  }
}
