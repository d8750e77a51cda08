package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.protocol.FrameType;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Spec §7.5 (adaptor runs), §7.8 (module linking and the repo) and §7.10 (compiled jobs, here
 * hand-compiled), against the fixture repo in src/test/resources/repo.
 */
@Tag("integration")
class AdaptorModulesTest {
  private static final String FIXTURE = "@openfn/language-fixture";

  /** A one-step plan with the fixture adaptor (or none) run against the fixture repo. */
  private static RunFrames run(String expression, String adaptor, String extraOptions, StepCompiler compiler) {
    ObjectNode meta = RunFrames.JSON.createObjectNode();
    ObjectNode step = meta.putObject("plan").putObject("workflow").putArray("steps").addObject()
        .put("id", "job-1").put("expression", expression);
    if (adaptor != null) {
      step.putArray("adaptors").add(adaptor);
    }
    ObjectNode options = (ObjectNode) RunFrames.lenient(extraOptions);
    options.put("repoDir", Fixtures.repo().toString()).put("compile", compiler != StepCompiler.PRECOMPILED);
    meta.set("options", options);
    return InJvmRuns.runMeta(meta, null, compiler);
  }

  private static RunFrames run(String expression, String adaptor) {
    return run(expression, adaptor, "{}", StepCompiler.PRECOMPILED);
  }

  private static String job(String imports, String operations) {
    return "import { " + imports + " } from '" + FIXTURE + "';\nexport * from '" + FIXTURE + "';\nexport default [" + operations + "];";
  }

  @Test
  void runsOperationsFromAnAdaptorThroughItsExecute() {
    RunFrames run = run(job("call", "call(() => 22)"), FIXTURE + "@1.0.0");
    run.assertFinalState("{data: 22}");
    assertThat(run.logLines()).contains("ADA info fixture execute", "R/T info Resolved adaptor @openfn/language-fixture to version 1.0.0");
  }

  @Test
  void anAdaptorWhoseEsmBuildCannotLinkItsCommonJsDependencyLoadsItsCommonJsBuild() {
    // Node 22.12's cjs-module-lexer misses Babel's getter exports (language-common 3.3.4 → date-fns 2.x)
    String job = "import { build, hello } from '@openfn/language-dualbuild';\n"
        + "export default [(s) => ({data: build + ':' + hello()})];";
    run(job, "@openfn/language-dualbuild@1.0.0").assertFinalState("{data: 'cjs:hello'}");
  }

  @Test
  void anAdaptorWhoseEsmBuildDeepImportsACommonJsFileWithoutExtensionLoadsItsCommonJsBuild() {
    // language-common 2.x's dist/index.js imports 'lodash/set', which Node's ES resolver refuses
    String job = "import { build, put } from '@openfn/language-deepimport';\n"
        + "export default [put('data', 'x'), (s) => ({data: build + ':' + s.data})];";
    run(job, "@openfn/language-deepimport@1.0.0").assertFinalState("{data: 'cjs:x'}");
  }

  @Test
  void adaptorVersionsComeFromTheRepo() {
    String versionJob = job("fn, version", "fn((s) => ({data: version}))");
    run(versionJob, FIXTURE + "@1.0.0").assertFinalState("{data: '1.0.0'}");
    run(versionJob, FIXTURE + "@2.0.0").assertFinalState("{data: '2.0.0'}");
    // no version: the latest installed, compared as versions (the reference compared strings and took 2.0.0)
    run(versionJob, FIXTURE).assertFinalState("{data: '10.0.0'}");
    assertThat(run(versionJob, FIXTURE + "@3.0.0").workflowError().path("message").asText())
        .isEqualTo("Failed to import module \"@openfn/language-fixture\"");
  }

  @Test
  void stepsOfOneWorkflowMayUseDifferentVersions() {
    ObjectNode meta = RunFrames.JSON.createObjectNode();
    ArrayNode steps = meta.putObject("plan").putObject("workflow").putArray("steps");
    steps.addObject().put("id", "a").put("next", "b").put("expression",
        job("fn, version", "fn((s) => ({data: {a: version}}))")).putArray("adaptors").add(FIXTURE + "@1.0.0");
    steps.addObject().put("id", "b").put("expression",
        job("fn, version", "fn((s) => ({data: {...s.data, b: version}}))")).putArray("adaptors").add(FIXTURE + "@2.0.0");
    meta.putObject("options").put("repoDir", Fixtures.repo().toString()).put("compile", false);
    RunFrames run = InJvmRuns.runMeta(meta, null, StepCompiler.PRECOMPILED);
    run.assertFinalState("{data: {a: '1.0.0', b: '2.0.0'}}");
    assertThat(run.metas(FrameType.WORKFLOW_START).get(0).path("versions").path(FIXTURE).toString())
        .isEqualTo("[\"1.0.0\",\"2.0.0\"]");
  }

  @Test
  void adaptorErrorsAreAttributedToTheTopLevelOperation() {
    String expression = job("err", "err()");
    RunFrames run = run(expression, FIXTURE + "@1.0.0", "{}", new IdentityMapCompiler(List.of(new CompiledStep.OperationRef("err", 3))));
    assertThat(run.finalState().path("errors").path("job-1")).isEqualTo(RunFrames.lenient("""
        {source: 'runtime', name: 'AdaptorError', severity: 'fail', message: 'adaptor err',
         details: {message: 'adaptor err', code: 1234}, operationName: 'err', line: 3}"""));
    assertThat(run.logLines()).contains("R/T error Error reported by \"err()\" operation line 3:");
  }

  @Test
  void nestedAdaptorErrorsPointAtTheJobLine() {
    String expression = job("fn, err", "fn(async (state) => {\n        await err()(state);\n})");
    RunFrames run = run(expression, FIXTURE + "@1.0.0", "{}", new IdentityMapCompiler(List.of()));
    JsonNode error = run.finalState().path("errors").path("job-1");
    assertThat(error.path("name").asText()).isEqualTo("AdaptorError");
    assertThat(error.path("pos")).isEqualTo(RunFrames.lenient("{line: 4, column: 20, src: '        await err()(state);'}"));
    assertThat(error.path("step").asText()).isEqualTo("job-1");
  }

  @Test
  void errorsInNamedJobFunctionsAreNotBlamedOnTheAdaptor() {
    JsonNode error = run(job("fn", "fn(function named(s) { return s.data.x.y; })"), FIXTURE + "@1.0.0")
        .finalState().path("errors").path("job-1");
    assertThat(error.path("name").asText()).isEqualTo("RuntimeError");
    assertThat(error.path("subtype").asText()).isEqualTo("TypeError");
  }

  @Test
  void anAdaptorThrowingAStringIsAJobError() {
    assertThat(run(job("errString", "errString()"), FIXTURE + "@1.0.0").finalState().path("errors").path("job-1"))
        .isEqualTo(RunFrames.lenient("{source: 'runtime', name: 'JobError', severity: 'fail', message: 'adaptor string'}"));
  }

  @Test
  void theDefaultWhitelistAllowsOnlyOpenfnModules() {
    String answer = "import answer from 'ultimate-answer';\nexport default [(s) => ({data: answer})];";
    JsonNode blocked = run(answer, null).workflowError();
    assertThat(blocked.path("type").asText()).isEqualTo("ImportError");
    assertThat(blocked.path("severity").asText()).isEqualTo("crash");
    assertThat(blocked.path("message").asText()).isEqualTo("module blacklisted: ultimate-answer");
    run(answer, null, "{whitelist: []}", StepCompiler.PRECOMPILED).assertFinalState("{data: 43}");
    run(answer, null, "{whitelist: ['/^ultimate/']}", StepCompiler.PRECOMPILED).assertFinalState("{data: 43}");
    assertThat(run("import x from 'blah';\nexport default [];", null, "{whitelist: []}", StepCompiler.PRECOMPILED)
        .workflowError().path("message").asText()).isEqualTo("Failed to import module \"blah\"");
  }

  @Test
  void commonJsAndAbsolutePathModules() {
    run("import { answer } from 'cjs';\nexport default [(s) => ({data: answer})];", null, "{whitelist: []}", StepCompiler.PRECOMPILED)
        .assertFinalState("{data: 42}");
    String path = Fixtures.module("number-export.js").toString();
    run("import n from '" + path + "';\nexport default [(s) => ({data: n})];", null, "{whitelist: []}", StepCompiler.PRECOMPILED)
        .assertFinalState("{data: 20}");
  }

  @Test
  void stepsOfOneRunShareAnAdaptorInstance() {
    ObjectNode meta = RunFrames.JSON.createObjectNode();
    ArrayNode steps = meta.putObject("plan").putObject("workflow").putArray("steps");
    steps.addObject().put("id", "a").put("next", "b").put("expression", job("count", "count()"))
        .putArray("adaptors").add(FIXTURE + "@1.0.0");
    steps.addObject().put("id", "b").put("expression", job("count", "count()")).putArray("adaptors").add(FIXTURE + "@1.0.0");
    meta.putObject("options").put("repoDir", Fixtures.repo().toString()).put("compile", false);
    InJvmRuns.runMeta(meta, null, StepCompiler.PRECOMPILED).assertFinalState("{data: {calls: 2}}");
  }

  @Test
  void eachRunGetsFreshAdaptorModuleInstances() {
    String counting = job("count", "count(), count()");
    run(counting, FIXTURE + "@1.0.0").assertFinalState("{data: {calls: 2}}");
    run(counting, FIXTURE + "@1.0.0").assertFinalState("{data: {calls: 2}}");
  }

  private static void precompiledEach(String header) {
    ObjectNode meta = RunFrames.JSON.createObjectNode();
    meta.putObject("plan").putObject("workflow").putArray("steps").addObject().put("id", "job-1")
        .put("expression", header + "export default [each((s) => s.data.ids, fn((s) => ({...s, seen: [...(s.seen ?? []), s.data]})))];")
        .putArray("adaptors").add(FIXTURE + "@1.0.0");
    meta.putObject("options").put("repoDir", Fixtures.repo().toString()).put("compile", false);
    InJvmRuns.runMeta(meta, "{\"data\":{\"ids\":[1,2,3]}}", StepCompiler.PRECOMPILED).assertFinalState("{data: 3, seen: [1, 2, 3]}");
  }

  /** §7.10, with the compiler's output written by hand: `.then`/`.catch` become `defer`. */
  @Test
  void compiledPromiseChainsRunThroughDefer() {
    String header = "import { fn, each } from '" + FIXTURE + "';\nimport { defer as _defer } from '@openfn/runtime';\nexport * from '" + FIXTURE + "';\n";
    run(header + "export default [_defer(fn((s) => s), (p) => p.then((s) => ({data: {x: 33}})))];", FIXTURE + "@1.0.0")
        .assertFinalState("{data: {x: 33}}");
    run(header + "export default [_defer(fn(() => { throw {err: true}; }), (p) => p, (e) => e)];", FIXTURE + "@1.0.0")
        .assertFinalState("{err: true}");
    run(header + "export default [_defer(fn(() => { throw new Error('err'); }), (p) => p, (e, s) => s)];", FIXTURE + "@1.0.0")
        .assertFinalState("{data: {}}");
    assertThat(run(header + "export default [_defer(fn(() => { throw new Error('err'); }), (p) => p, (e) => { throw e; })];",
        FIXTURE + "@1.0.0").finalState().path("errors").path("job-1").path("message").asText()).isEqualTo("err");
    run(header + "export const x = () => 90;\nexport default [fn(() => ({x: x()}))];", FIXTURE + "@1.0.0").assertFinalState("{x: 90}");
    precompiledEach(header);
  }
}
