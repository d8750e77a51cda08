package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.caoccao.javet.exceptions.JavetException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Unit tests of the host's JS modules (spec §7.2 conditions, §7.8 repo helpers, §7.9 utilities, §5 sanitize). */
@Tag("integration")
class HostModulesTest {
  private static HostScripts js;

  @BeforeAll
  static void start() throws JavetException {
    js = new HostScripts();
  }

  @AfterAll
  static void stop() throws JavetException {
    js.close();
  }

  private static String eval(String expression) {
    try {
      return js.eval(expression);
    } catch (JavetException e) {
      throw new AssertionError(e);
    }
  }

  private static String assemble(String args) {
    return eval("hostRequire('state.js').assembleState(" + args + ")");
  }

  @Test
  void assembleState() {
    assertThat(assemble("")).isEqualTo("{\"configuration\":{},\"data\":{}}");
    assertThat(assemble("{references: [1], x: 2}")).isEqualTo("{\"references\":[1],\"x\":2,\"configuration\":{},\"data\":{}}");
    assertThat(assemble("{data: {x: 1, y: 1}}, {}, {data: {y: 2, z: 2}}"))
        .isEqualTo("{\"data\":{\"y\":1,\"z\":2,\"x\":1},\"configuration\":{}}");
    assertThat(assemble("{data: [1, 2]}, {}, {data: {y: 2}}")).isEqualTo("{\"data\":[1,2],\"configuration\":{}}");
    assertThat(assemble("{configuration: {a: 1, b: 1}}, {b: 2}"))
        .isEqualTo("{\"configuration\":{\"a\":1,\"b\":2},\"data\":{}}");
    assertThat(assemble("{configuration: {a: 1}}, {b: 2}, {}, {g: 0, a: 0}"))
        .isEqualTo("{\"configuration\":{\"g\":0,\"a\":1,\"b\":2},\"data\":{}}");
    assertThat(assemble("{}, {a: 2}, {}, {a: 1, g: 1}")).isEqualTo("{\"configuration\":{\"a\":2,\"g\":1},\"data\":{}}");
    assertThat(assemble("{x: 1}, undefined, {x: 2, y: 2}")).isEqualTo("{\"x\":1,\"y\":2,\"configuration\":{},\"data\":{}}");
  }

  private static String finalText(String state, String options) {
    return eval("(() => { const logs = []; const log = {debug: (m) => logs.push(m), warn: (m) => logs.push(m)};"
        + " let text; try { text = hostRequire('state.js').finalStateText(" + state + ", " + options + ", log); }"
        + " catch (e) { return {error: e.name + ': ' + e.message + ' ' + e.severity}; } return {text, logs}; })()");
  }

  @Test
  void stateSizeLimitCountsTheSerialisedBytes() {
    String remove = "{propsToRemove: [], stateLimitMb: ";
    assertThat(finalText("{data: 'z'.repeat(1024)}", remove + "1 / 1024}"))
        .isEqualTo("{\"error\":\"StateTooLargeError: State exceeds the limit of 0.0009765625mb kill\"}");
    assertThat(finalText("{data: 'z'.repeat(1024)}", remove + "2 / 1024}")).contains("\"text\"");
    assertThat(finalText("{data: 'z'.repeat(4096)}", remove + "0}")).contains("\"text\"");
    String odd = "(() => { const s = {a: 1, p: Promise.resolve(), f() {}, u: undefined, sym: Symbol('s'), big: 10n,"
        + " d: new Date(0), r: /x/, m: new Map([[1, 2]]), set: new Set([1])}; s.self = s; return s; })()";
    assertThat(finalText(odd, remove + "1}")).isEqualTo("{\"text\":\"{\\\"a\\\":1,\\\"p\\\":{},\\\"big\\\":\\\"10\\\","
        + "\\\"d\\\":\\\"1970-01-01T00:00:00.000Z\\\",\\\"r\\\":{},\\\"m\\\":{},\\\"set\\\":{},\\\"self\\\":\\\"[Circular]\\\"}\","
        + "\"logs\":[\"WARNING: state contained 1 BigInt value(s); they were written as strings\"]}");
  }

  @Test
  void cleanupRemovesTheListedKeysAndLogsThem() {
    assertThat(finalText("{data: {}, configuration: {a: 1}, x: 1}", "{propsToRemove: ['configuration', 'y'], stateLimitMb: 0}"))
        .isEqualTo("{\"text\":\"{\\\"data\\\":{},\\\"x\\\":1}\",\"logs\":[\"Cleaning up state. Removing keys: configuration\"]}");
    assertThat(finalText("{data: {}, configuration: {a: 1}}", "{propsToRemove: [], stateLimitMb: 0}"))
        .isEqualTo("{\"text\":\"{\\\"data\\\":{},\\\"configuration\\\":{\\\"a\\\":1}}\",\"logs\":[]}");
    assertThat(finalText("hostRequire('state.js').createNullState()", "{propsToRemove: [], stateLimitMb: 0}"))
        .isEqualTo("{\"logs\":[]}");
  }

  @Test
  void sharedButNotCircularReferencesAreKept() {
    assertThat(eval("hostRequire('serialize.js').safeStringify((() => { const o = {v: 1}; return {a: o, b: o, c: [o, o]}; })()).text"))
        .isEqualTo("\"{\\\"a\\\":{\\\"v\\\":1},\\\"b\\\":{\\\"v\\\":1},\\\"c\\\":[{\\\"v\\\":1},{\\\"v\\\":1}]}\"");
    assertThat(eval("hostRequire('serialize.js').safeStringify((() => { const a = {}; a.b = {a}; return {data: a}; })()).text"))
        .isEqualTo("\"{\\\"data\\\":{\\\"b\\\":{\\\"a\\\":\\\"[Circular]\\\"}}}\"");
  }

  private static String condition(String condition, String state) {
    return eval("(() => { const c = hostRequire('conditions.js').createConditions(console);"
        + " const errors = c.compile([{from: 'x', to: 'y', condition: " + condition + "}]);"
        + " if (errors.length) return errors; try { return c.evaluate('x', 'y', " + state + "); }"
        + " catch (e) { return e.name + ': ' + e.message; } })()");
  }

  @Test
  void edgeConditions() {
    assertThat(condition("'true'", "{}")).isEqualTo("true");
    assertThat(condition("'false'", "{}")).isEqualTo("false");
    assertThat(condition("'1 + 1'", "{}")).isEqualTo("true");
    assertThat(condition("'!state.hasOwnProperty(\"error\")'", "{}")).isEqualTo("true");
    assertThat(condition("'on_job_success'", "{errors: {}}")).isEqualTo("true");
    assertThat(condition("'on_job_success'", "{errors: {x: {}}}")).isEqualTo("false");
    assertThat(condition("'on_job_failure'", "{errors: {}}")).isEqualTo("false");
    assertThat(condition("'on_job_failure'", "{errors: {x: {}}}")).isEqualTo("true");
    assertThat(condition("'on_upstream_fail'", "{errors: {x: {}}}")).isEqualTo("true");
    assertThat(condition("'always'", "undefined")).isEqualTo("true");
    assertThat(condition("'require(\"fs\")'", "{}")).isEqualTo("\"EdgeConditionError: require is not defined\"");
    assertThat(condition("'process.exit()'", "{}")).isEqualTo("\"EdgeConditionError: process is not defined\"");
    assertThat(condition("'(() => process.pid)()'", "{}")).isEqualTo("\"EdgeConditionError: process is not defined\"");
    assertThat(condition("'eval(\"1\")'", "{}"))
        .isEqualTo("\"EdgeConditionError: Code generation from strings disallowed for this context\"");
    assertThat(condition("'wibble'", "{}")).isEqualTo("\"EdgeConditionError: wibble is not defined\"");
    assertThat(condition("'@£^!!'", "{}")).startsWith("[\"Failed to compile edge condition x->y (");
  }

  @Test
  void sanitizePolicies() {
    String values = "[1, 'a', null, {b: 1, a: 2}, {}, [1, 2], [], {configuration: {pw: 'x'}, data: 1}]";
    String base = "const s = hostRequire('logger.js').sanitize; return " + values + ".map((v) => s(v, '%s'));";
    assertThat(eval("(() => { " + base.formatted("none") + " })()"))
        .isEqualTo("[1,\"a\",null,{\"b\":1,\"a\":2},{},[1,2],[],{\"configuration\":{\"pw\":\"****\"},\"data\":1}]");
    assertThat(eval("(() => { " + base.formatted("remove") + " })()")).isEqualTo("[1,\"a\",null,null,null,null,null,null]");
    assertThat(eval("(() => { " + base.formatted("obfuscate") + " })()"))
        .isEqualTo("[1,\"a\",null,\"[object]\",\"[object]\",\"[array]\",\"[array]\",\"[object]\"]");
    assertThat(eval("(() => { " + base.formatted("summarize") + " })()"))
        .isEqualTo("[1,\"a\",null,\"(object with keys a, b)\",\"(empty object)\",\"(array with 2 items)\",\"(empty array)\","
            + "\"(object with keys configuration, data)\"]");
  }

  @Test
  void loggerLevelsAndRecords() {
    js.logs.clear();
    eval("(() => { const l = hostRequire('logger.js').createLogger('JOB', {level: 'none', sanitize: 'remove', emit: bridge.log});"
        + " l.info('hidden'); l.error('shown', new Error('e')); l.log({a: 1}); l.warn(); return 0; })()");
    eval("(() => { const l = hostRequire('logger.js').createLogger('R/T', {level: 'info', emit: bridge.log});"
        + " l.debug('hidden'); l.log('x', 1); l.success('ok'); return 0; })()");
    assertThat(js.logs).containsExactly(
        "JOB error [\"shown\",{\"name\":\"Error\",\"message\":\"e\"}]", "R/T info [\"x\",1]", "R/T success [\"ok\"]");
    assertThat(eval("hostRequire('logger.js').createLogger('X', {sanitize: 'blur', emit: bridge.log})"))
        .isEqualTo("THROWN: Unknown sanitize value provided: blur");
    assertThat(eval("[5, 1500, 61000].map(hostRequire('logger.js').humanDuration)")).isEqualTo("[\"5ms\",\"1.50s\",\"1m 1s\"]");
  }

  @Test
  void regexAndSpecifierHelpers() {
    assertThat(eval("['abc', '/abc/', '/abc/ig', 'a/b/c', '/a/b/c/i'].map((r) => String(hostRequire('linker.js').parseRegex(r)))"))
        .isEqualTo("[\"/abc/\",\"/abc/\",\"/abc/gi\",\"/a\\\\/b\\\\/c/\",\"/a\\\\/b\\\\/c/i\"]");
    assertThat(eval("['x@1', 'x@1.0.0', '@x/y@1.0.0', '@openfn/language-common@1.0.0', 'axios'].map(hostRequire('linker.js').getNameAndVersion)"))
        .isEqualTo("[{\"name\":\"x\",\"version\":\"1\"},{\"name\":\"x\",\"version\":\"1.0.0\"},{\"name\":\"@x/y\",\"version\":\"1.0.0\"},"
            + "{\"name\":\"@openfn/language-common\",\"version\":\"1.0.0\"},{\"name\":\"axios\"}]");
    assertThat(eval("[['x'], ['x', '1'], ['@x/y', '1.0.0']].map(([n, v]) => hostRequire('linker.js').getAliasedName(n, v))"))
        .isEqualTo("[\"x\",\"x_1\",\"@x/y_1.0.0\"]");
  }

  @Test
  void repoLookupPicksTheHighestVersionNumerically() {
    String repo = Fixtures.repo().toString().replace("\\", "\\\\");
    String l = "hostRequire('linker.js')";
    assertThat(eval(l + ".getModulePath('@openfn/language-fixture', undefined, '" + repo + "')"))
        .endsWith("node_modules/@openfn/language-fixture_10.0.0\"");
    assertThat(eval(l + ".getModulePath('@openfn/language-fixture', '2.0.0', '" + repo + "')"))
        .endsWith("node_modules/@openfn/language-fixture_2.0.0\"");
    assertThat(eval(l + ".getModulePath('nope', undefined, '" + repo + "')")).isEqualTo("null");
    assertThat(eval(l + ".getModulePath('ultimate-answer', '3.0.0', '" + repo + "')")).isEqualTo("null");
    assertThat(eval(l + ".getModuleEntryPoint(" + l + ".getModulePath('@openfn/language-fixture', '1.0.0', '" + repo + "'))"))
        .contains("language-fixture_1.0.0/dist/index.js").contains("\"version\":\"1.0.0\"");
    assertThat(eval(l + ".getModuleEntryPoint(" + l + ".getModulePath('ultimate-answer', '2.0.0', '" + repo + "')).path"))
        .endsWith("ultimate-answer_2.0.0/index.js\"");
    assertThat(eval("['1.0.0', '10.0.0', '9.1.0', '9.0.0'].sort(" + l + ".compareVersions)"))
        .isEqualTo("[\"1.0.0\",\"9.0.0\",\"9.1.0\",\"10.0.0\"]");
  }

  @Test
  void deferRunsLazilyAndRoutesErrors() {
    String defer = "hostRequire('helpers.js').defer";
    assertThat(eval("(() => { let ran = false; " + defer + "(() => { ran = true; }); return ran; })()")).isEqualTo("false");
    assertThat(eval(defer + "((s) => s + 1)(1)")).isEqualTo("2");
    assertThat(eval(defer + "(async (s) => s * 2, (p) => p.then((v) => v + 1))(2)")).isEqualTo("5");
    assertThat(eval(defer + "(() => { throw new Error('sync'); }, undefined, (e, s) => e.message + s)('!')"))
        .isEqualTo("\"sync!\"");
    assertThat(eval(defer + "(async () => { throw new Error('async'); }, undefined, (e, s) => e.message + s)('?')"))
        .isEqualTo("\"async?\"");
    assertThat(eval(defer + "(() => { throw new Error('rethrown'); })({})")).isEqualTo("THROWN: rethrown");
  }

  @Test
  void errorPositionsComeFromTheStack() {
    String errors = "hostRequire('errors.js')";
    String stack = "{stack: 'Error: x\\n    at foo (node:internal/a)\\n    at bar (/x/y.js:3:4)\\n    at vm:module(0):2:17'}";
    assertThat(eval(errors + ".extractPosition(" + stack + ")")).isEqualTo("{\"line\":3,\"column\":4}");
    assertThat(eval(errors + ".extractPosition(" + stack + ", true)")).isEqualTo("{\"line\":2,\"column\":17}");
    assertThat(eval(errors + ".extractPosition({stack: 'Error: x\\n    at foo (node:internal)'})")).isEqualTo("undefined");
    assertThat(eval(errors + ".extractStackTrace(" + stack + ")")).isEqualTo("\"Error: x\\n    at vm:module(0):2:17\"");
  }

  @Test
  void sourceMapsMapPositionsWithOneBasedColumns() {
    // generated line 1 "export default [fn((s) => z)];" ← original line 2 "fn((s) => z)": one segment per token
    String map = "{version: 3, sources: ['src.js'], sourcesContent: ['// c\\nfn((s) => z)'], names: [],"
        + " mappings: ';AACA,gBAAA,EAAE,CAAC,EAAE,KAAK', operations: [{name: 'fn', line: 2, order: 1}]}";
    String sm = "hostRequire('sourcemap.js')";
    assertThat(eval(sm + ".createSourceMap(" + map + ").originalPosition(2, 27)")).isEqualTo("{\"line\":2,\"column\":11}");
    // a one-field segment ends the mapped run: positions after it have no original
    String split = "{version: 3, sources: ['src.js'], sourcesContent: ['x'], names: [], mappings: 'AAAA,K'}";
    assertThat(eval(sm + ".createSourceMap(" + split + ").originalPosition(1, 3)")).isEqualTo("{\"line\":1,\"column\":3}");
    assertThat(eval(sm + ".createSourceMap(" + split + ").originalPosition(1, 7)")).isEqualTo("undefined");
    assertThat(eval("(() => { const e = {pos: {line: 2, column: 27}, stack: 'ReferenceError: z\\n    at vm:module(0):2:27\\n    at nowhere'};"
        + sm + ".mapErrorPositions(e, " + sm + ".createSourceMap(" + map + "), 'src'); return [e.pos, e.step, e.stack]; })()"))
        .isEqualTo("[{\"line\":2,\"column\":11,\"src\":\"fn((s) => z)\"},\"src\",\"ReferenceError: z\\n    at vm:module(0):2:11\"]");
  }
}
