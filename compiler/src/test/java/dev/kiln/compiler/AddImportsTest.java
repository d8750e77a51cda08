package dev.kiln.compiler;

import static dev.kiln.compiler.JsEquivalence.assertEquivalent;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Spec §5.4 (add-imports) and the §5.13 import vectors. */
class AddImportsTest {
  static final List<String> FIXTURE_EXPORTS = List.of("x", "y");

  static String compile(String source, Set<String> ignored, AdaptorImports... adaptors) {
    CompileOptions options = CompileOptions.named("src").withIgnoredImports(ignored);
    for (AdaptorImports a : adaptors) {
      options = options.withAdaptor(a);
    }
    return JobCompiler.compile(source, options).code();
  }

  static String compile(String source, AdaptorImports... adaptors) {
    return compile(source, Set.of(), adaptors);
  }

  @Test
  void importsUsedExports() {
    AdaptorImports adaptor = new AdaptorImports("test-adaptor", FIXTURE_EXPORTS, false);
    assertEquivalent(compile("x; y;", adaptor), "import { x, y } from \"test-adaptor\";\nx; y;\nexport default [];");
    assertEquivalent(compile("x;", adaptor), "import { x } from \"test-adaptor\";\nx;\nexport default [];");
    assertEquivalent(compile("", adaptor), "export default [];");
    assertEquivalent(compile("let x;", adaptor), "let x;\nexport default [];");
  }

  @Test
  void lastAdaptorFirst() {
    assertEquivalent(
        compile("x; y;", new AdaptorImports("adaptor-a", List.of("x"), false), new AdaptorImports("adaptor-b", List.of("y"), false)),
        "import { y } from \"adaptor-b\";\nimport { x } from \"adaptor-a\";\nx; y;\nexport default [];");
  }

  @Test
  void dumbModeImportsFreeNames() {
    assertEquivalent(compile("x; y;", new AdaptorImports("a", List.of(), false)), "import { x, y } from \"a\";\nx; y;\nexport default [];");
  }

  @Test
  void dumbModeSkipsGlobals() {
    String globals =
        "atob; Blob; btoa; Buffer; clearInterval; clearTimeout; console; Date; Error; Event; exports; isNaN; global;"
            + " JSON; Map; module; NaN; parseFloat; parseInt; process; Promise; require; Set; setInterval; setTimeout;"
            + " state; URL; undefined; globalThis; fetch;";
    assertEquivalent(
        compile("x; " + globals, new AdaptorImports("a", List.of(), false)),
        "import { x } from \"a\";\nx; " + globals + "\nexport default [];");
  }

  @Test
  void ignoredNamesAreNotImported() {
    assertEquivalent(
        compile("x; y;", Set.of("x"), new AdaptorImports("a", List.of(), false)), "import { y } from \"a\";\nx; y;\nexport default [];");
  }

  @Test
  void userImportsAreNotDuplicated() {
    String source = "import { x, y as _y } from '@openfn/runtime';";
    assertEquivalent(compile(source, new AdaptorImports("a", List.of(), false)), source + "\nexport default [];");
  }

  @Test
  void exportAll() {
    assertEquivalent(
        compile("x;", new AdaptorImports("test-adaptor", List.of(), true)),
        "import { x } from \"test-adaptor\";\nexport * from \"test-adaptor\";\nx;\nexport default [];");
  }

  @Test
  void nothingUsedNothingImported() {
    assertThat(compile("fn();", new AdaptorImports("a", List.of("x"), true))).isEqualTo("export default [fn()];");
  }

  @Test
  void explicitModeFollowsTheExportsListOrder() {
    assertEquivalent(
        compile("b(); a(); b();", new AdaptorImports("ad", List.of("a", "b", "c"), false)),
        "import { a, b } from \"ad\";\nexport default [b(), a(), b()];");
  }

  @Test
  void globalsFilterMatchesWholeNames() {
    // reference: the regex anchors only bind its first and last alternatives, so only upsert and format were imported
    String source =
        "processData(); myArray(); stateful(); getDate(); evaluate(); upsert(); AggregateErrorX(); xWeakSet(); WeakSetX(); format(); Arrays();";
    String names = "processData, myArray, stateful, getDate, evaluate, upsert, AggregateErrorX, xWeakSet, WeakSetX, format, Arrays";
    assertEquivalent(
        compile(source, new AdaptorImports("ad", List.of(), false)),
        "import { " + names + " } from \"ad\";\nexport default [" + source.replace(";", ",").replaceAll(",$", "") + "];");
  }

  @Test
  void aNameIsImportedFromTheFirstAdaptorOnly() {
    // reference: both adaptors import fn, a duplicate binding (SyntaxError when linked)
    assertEquivalent(
        compile("fn();", new AdaptorImports("A", List.of("fn"), false), new AdaptorImports("B", List.of("fn"), false)),
        "import { fn } from \"A\";\nexport default [fn()];");
  }

  @Test
  void namesInTopLevelDataObjectsAreImported() {
    // reference: the object is skipped, so b and d are never imported (ReferenceError at run time)
    assertEquivalent(
        compile("const big = { a: b, c: [d] }; fn(e);", new AdaptorImports("ad", List.of(), false)),
        "import { b, d, fn, e } from \"ad\";\nconst big = { a: b, c: [d] };\nexport default [fn(e)];");
    assertEquivalent(
        compile("let big = [{ a: b }]; fn(e);", new AdaptorImports("ad", List.of(), false)),
        "import { b, fn, e } from \"ad\";\nlet big = [{ a: b }];\nexport default [fn(e)];");
  }

  @Test
  void bareDollarIsImportedInDumbMode() {
    assertEquivalent(compile("fn($)", new AdaptorImports("ad", List.of(), false)), "import { fn, $ } from \"ad\";\nexport default [fn($)];");
  }

  @Test
  void convertedLazyStateIsNotImported() {
    assertEquivalent(
        compile("fn($.a)", new AdaptorImports("ad", List.of(), false)), "import { fn } from \"ad\";\nexport default [fn(state => state.a)];");
  }
}
