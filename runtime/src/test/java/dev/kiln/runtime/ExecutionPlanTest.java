package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Spec §7.2 (plan compilation) and the validatePlan vectors of §7.9, without Node. */
class ExecutionPlanTest {

  static ExecutionPlan plan(String json) {
    return ExecutionPlan.from(RunFrames.lenient(json));
  }

  private static String validationMessage(String json) {
    try {
      plan(json);
    } catch (RunFailureException e) {
      assertThat(e.failure().type()).isEqualTo("ValidationError");
      assertThat(e.failure().severity()).isEqualTo("crash");
      return e.getMessage();
    }
    throw new AssertionError("expected a ValidationError for " + json);
  }

  @Test
  void startDefaultsAndPrecedence() {
    assertThat(plan("{workflow: {steps: [{id: 'a'}, {id: 'b'}]}}").start()).isEqualTo("a");
    assertThat(plan("{workflow: {start: 'b', steps: [{id: 'a'}, {id: 'b'}]}}").start()).isEqualTo("b");
    assertThat(plan("{workflow: {start: 'b', steps: [{id: 'a'}, {id: 'b'}]}, options: {start: 'a'}}").start()).isEqualTo("a");
    assertThat(plan("{start: 'b', steps: [{id: 'a'}, {id: 'b'}]}").start()).isEqualTo("b");
    assertThat(plan("{jobs: [{id: 'a'}, {id: 'b'}], start: 'b'}").start()).isEqualTo("b");
  }

  @Test
  void autoIdsAreDistinctAndPerPlan() {
    assertThat(plan("{workflow: {steps: [{expression: 'x'}, {expression: 'y'}]}}").steps().keySet()).containsExactly("job-1", "job-2");
    assertThat(plan("{workflow: {steps: [{expression: 'x'}]}}").steps().keySet()).containsExactly("job-1");
  }

  @Test
  void optionsCredentialsAndGlobalsAreKept() {
    ExecutionPlan p = plan("{id: 'p', workflow: {name: 'wf', globals: 'export const x = 1', credentials: {a: 1}, steps: [{id: 'a'}]},"
        + " options: {timeout: 10, end: 'a'}}");
    assertThat(p.displayName()).isEqualTo("wf");
    assertThat(p.timeoutMs()).isEqualTo(10L);
    assertThat(p.end()).isEqualTo("a");
    assertThat(p.globals()).isEqualTo("export const x = 1");
    assertThat(p.credentials().toString()).isEqualTo("{\"a\":1}");
    assertThat(plan("{workflow: {globals: 1, steps: [{id: 'a'}]}}").globals()).isNull();
    assertThat(plan("{id: 'p', workflow: {steps: [{id: 'a'}]}}").displayName()).isEqualTo("p");
  }

  @Test
  void linkerComesFromAdaptorsUnlessGiven() {
    assertThat(plan("{workflow: {steps: [{id: 'a', adaptors: ['x@1.0', '@openfn/language-common@3.3.4', 'y']}]}}").step("a").linker())
        .isEqualTo(RunFrames.lenient("{x: {version: '1.0'}, '@openfn/language-common': {version: '3.3.4'}, y: {}}"));
    assertThat(plan("{workflow: {steps: [{id: 'a', adaptors: ['x@1.0'], linker: {x: {path: '/p'}}}]}}").step("a").linker())
        .isEqualTo(RunFrames.lenient("{x: {path: '/p'}}"));
  }

  @Test
  void edgesAreNormalised() {
    List<PlanStep.Edge> edges = plan("""
        {workflow: {steps: [{id: 'a', next: {b: true, c: false, d: 'state.x', e: {condition: 'always'}, f: {}, g: {condition: 'true', disabled: true}}},
          {id: 'b'}, {id: 'c'}, {id: 'd'}, {id: 'e'}, {id: 'f'}, {id: 'g'}]}}
        """).step("a").edges();
    assertThat(edges).containsExactly(
        new PlanStep.Edge("b", true, null), new PlanStep.Edge("c", false, null), new PlanStep.Edge("d", null, "state.x"),
        new PlanStep.Edge("e", null, "always"), new PlanStep.Edge("f", false, null), new PlanStep.Edge("g", false, null));
    assertThat(plan("{workflow: {steps: [{id: 'a', next: 'b'}, {id: 'b'}]}}").step("a").edges())
        .containsExactly(new PlanStep.Edge("b", true, null));
    assertThat(plan("{workflow: {steps: [{id: 'a', next: {b: 'x > 1'}}, {id: 'b'}]}}").conditions())
        .containsExactly(Map.of("from", "a", "to", "b", "condition", "x > 1"));
  }

  @Test
  void validation() {
    assertThat(validationMessage("{workflow: {steps: [{id: 'a', next: 'z'}]}}")).isEqualTo("Cannot find job: z");
    assertThat(validationMessage("{workflow: {steps: [{id: 'a', next: {z: true}}]}}")).isEqualTo("Cannot find job: z");
    assertThat(validationMessage("{workflow: {steps: [{id: 'a'}]}, options: {start: 'z'}}")).isEqualTo("Could not find start job: z");
    assertThat(validationMessage("{workflow: {steps: [{id: 'a', next: 'a'}]}}")).isEqualTo("Circular dependency: a <-> a");
    assertThat(validationMessage("{workflow: {steps: [{id: 'a', next: 'b'}, {id: 'b', next: 'c'}, {id: 'c', next: 'a'}]}}"))
        .isEqualTo("Circular dependency: c <-> a");
    assertThat(validationMessage("{workflow: {steps: []}}")).contains("no steps");
    assertThat(validationMessage("[]")).contains("must be a JSON object");
    assertThat(validationMessage("{workflow: {steps: [{id: 'a'}, {id: 'a'}]}}")).startsWith("Duplicate step id: a");
    // multiple inputs (a diamond) are allowed
    assertThat(plan("{workflow: {steps: [{id: 'a', next: {b: true, c: true}}, {id: 'b', next: 'd'}, {id: 'c', next: 'd'}, {id: 'd'}]}}")
        .steps()).hasSize(4);
  }

  @Test
  void adaptorSpecifiers() {
    assertThat(AdaptorSpecifier.parse("@openfn/language-common@1.0.0")).isEqualTo(new AdaptorSpecifier("@openfn/language-common", "1.0.0"));
    assertThat(AdaptorSpecifier.parse("@x/y")).isEqualTo(new AdaptorSpecifier("@x/y", null));
    assertThat(AdaptorSpecifier.parse("x@1").alias()).isEqualTo("x_1");
    assertThat(AdaptorSpecifier.parse("x").alias()).isEqualTo("x");
  }

  @Test
  void runOptionsDefaultsAndValidation() {
    RunOptions o = RunOptions.from(null);
    assertThat(o.stateLimitMb()).isEqualTo(500);
    assertThat(o.statePropsToRemove().toString()).isEqualTo("[\"configuration\"]");
    assertThat(o.whitelist().toString()).isEqualTo("[\"/^@openfn/\"]");
    assertThat(o.compile()).isTrue();
    assertThatThrownBy(() -> RunOptions.from(RunFrames.lenient("{jobLogLevel: 'loud'}")))
        .hasMessageStartingWith("Unknown log level: loud");
  }
}
