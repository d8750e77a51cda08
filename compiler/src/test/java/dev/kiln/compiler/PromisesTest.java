package dev.kiln.compiler;

import static dev.kiln.compiler.JsEquivalence.assertEquivalent;
import static dev.kiln.compiler.ReferenceVectorsTest.DEFER;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Spec §5.3 and §2.2: promise chains on top-level operations become {@code _defer(...)}. */
class PromisesTest {

  static String compile(String source) {
    return JobCompiler.compile(ReferenceVectorsTest.unescape(source), CompileOptions.named("src")).code();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          fn(x).then(() => {})                                 | _defer(fn(x), p => p.then(() => {}))
          fn(x).catch((e) => e)                                | _defer(fn(x), undefined, (e) => e)
          fn(x).then((e) => e).then((e) => e)                  | _defer(fn(x), p => p.then((e) => e).then((e) => e))
          fn(x).catch((e) => e).then((s) => s)                 | _defer(fn(x), p => p.then((s) => s), (e) => e)
          fn(x).catch((e) => e).then((s) => s).then(s => s)    | _defer(fn(x), p => p.then((s) => s).then(s => s), (e) => e)
          fn(x).catch((e) => e).then((s) => s).catch(e => e)   | _defer(fn(x), p => p.then((s) => s).catch(e => e), (e) => e)
          get().then(s => s).catch(e => e)                     | _defer(get(), p => p.then(s => s).catch(e => e))
          fn(get().then(s => s)).then(x => x)                  | _defer(fn(get().then(s => s)), p => p.then(x => x))
          http.get(x).then(s => s)                             | _defer(http.get(x), p => p.then(s => s))
          """)
  void rebuildsChains(String source, String expectedOperation) {
    assertEquivalent(compile(source), DEFER + "export default [" + expectedOperation + "];");
  }

  @Test
  void twoChains() {
    assertEquivalent(
        compile("fn(x).then(s => s);\nfn(x).then(s => s);"),
        DEFER + "export default [_defer(fn(x), p => p.then(s => s)), _defer(fn(x), p => p.then(s => s))];");
  }

  @Test
  void importGoesAfterUserImports() {
    assertEquivalent(
        compile("import x from 'y';\nfn(x).then(s => s);"),
        "import x from 'y';\n" + DEFER + "export default [_defer(fn(x), p => p.then(s => s))];");
  }

  @Test
  void chainsInArgumentsAreRebuilt() {
    assertEquivalent(compile("fn(get(x).then(s => s));"), DEFER + "export default [fn(_defer(get(x), p => p.then(s => s)))];");
    assertEquivalent(
        compile("fn(get(x).then(s => s), post(x).then(s => s));"),
        DEFER + "export default [fn(_defer(get(x), p => p.then(s => s)), _defer(post(x), p => p.then(s => s)))];");
  }

  @Test
  void chainsInCallbacksAreLeftAlone() {
    String source = "fn((state) => {\n    return get().then((s) => s)\n});";
    assertEquivalent(compile(source), "export default [" + source.substring(0, source.length() - 1) + "];");
  }

  @Test
  void anExistingDeferImportIsReused() {
    assertEquivalent(
        compile("import { defer as _defer } from '@openfn/runtime';\nget().then(s => s);"),
        "import { defer as _defer } from '@openfn/runtime';\nexport default [_defer(get(), p => p.then(s => s))];");
  }

  @Test
  void anotherRuntimeImportDoesNotSuppressTheDeferImport() {
    // reference: any import from @openfn/runtime suppressed it, leaving _defer undefined
    assertEquivalent(
        compile("import { x } from '@openfn/runtime';\nget().then(s => s);"),
        "import { x } from '@openfn/runtime';\n" + DEFER + "export default [_defer(get(), p => p.then(s => s))];");
  }

  /** Reference bugs, fixed. */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          p.then(s => s);               | export default [p.then(s => s)];
          x.then(a).catch(b);           | export default [x.then(a).catch(b)];
          """)
  void chainsWithoutAnOperationAreLeftAlone(String source, String expected) {
    // reference: an endless loop until the heap runs out (exit 134)
    assertEquivalent(compile(source), expected);
  }

  @Test
  void aCallOfACallIsTheOperation() {
    // reference: _defer(fn(), p => fn()().then(s => s))
    assertEquivalent(compile("fn()().then(s => s);"), DEFER + "export default [_defer(fn()(), p => p.then(s => s))];");
  }

  @Test
  void catchWithoutHandlerStaysInTheChain() {
    // reference: _defer(get(), undefined, p.catch())
    assertEquivalent(compile("get().catch();"), DEFER + "export default [_defer(get(), p => p.catch())];");
  }
}
