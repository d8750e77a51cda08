package dev.kiln.compiler;

import static dev.kiln.compiler.JsEquivalence.assertEquivalent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The compile test vectors of spec §5.1, §5.5, §5.6, §5.9, §5.12 and §5.13, compared as trees
 * ({@link JsEquivalence}). Where Kiln's expected output differs from the reference's on purpose,
 * the test says why (and compiler/README.md lists it).
 */
class ReferenceVectorsTest {
  static final String COMMON = "@openfn/language-common";
  static final String DEFER = "import { defer as _defer } from \"@openfn/runtime\";\n";

  static CompiledJob compile(String source) {
    return JobCompiler.compile(source, CompileOptions.named("src"));
  }

  static CompiledJob compile(String source, AdaptorImports... adaptors) {
    CompileOptions options = CompileOptions.named("src");
    for (AdaptorImports a : adaptors) {
      options = options.withAdaptor(a);
    }
    return JobCompiler.compile(source, options);
  }

  static JsonNode map(CompiledJob job) throws IOException {
    return new ObjectMapper().readTree(job.sourceMapJson());
  }

  // §5.1 compile.test.ts

  @Test
  void sourceMapNamesTheSourceAndFile() throws IOException {
    JsonNode map = map(compile("fn();"));
    assertThat(map.get("version").asInt()).isEqualTo(3);
    assertThat(map.get("sources").toString()).isEqualTo("[\"src.js\"]");
    assertThat(map.get("file").asText()).isEqualTo("src.map.js");
    assertThat(map.get("names").toString()).isEqualTo("[]");
    assertThat(map.get("sourcesContent").toString()).isEqualTo("[\"fn();\"]");
  }

  @Test
  void sourceMapHasTheOperations() throws IOException {
    CompiledJob job = compile("fn();");
    assertThat(map(job).get("operations").toString()).isEqualTo("[{\"name\":\"fn\",\"line\":1,\"order\":1}]");
    assertThat(job.operations()).containsExactly(new Operation("fn", 1, 1));
  }

  @Test
  void sourceMapIsNamedAfterTheStep() throws IOException {
    JsonNode map = map(JobCompiler.compile("fn();", CompileOptions.named("job")));
    assertThat(map.get("sources").toString()).isEqualTo("[\"job.js\"]");
    assertThat(map.get("file").asText()).isEqualTo("job.map.js");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          ``                                              | export default [];
          export const x = 10;export default [];          | export const x = 10;export default [];
          fn();                                           | export default [fn()];
          http.get();                                     | export default [http.get()];
          const x = dateFns.parse()                       | const x = dateFns.parse()\\nexport default [];
          fn()                                            | export default [fn()];
          fn();fn();fn();                                 | export default [fn(), fn(), fn()];
          fn(a.b?.c);                                     | export default [fn(a.b?.c)];
          fn(a ?? b);                                     | export default [fn(a ?? b)];
          get($.data.endpoint);                           | export default [get(state => state.data.endpoint)];
          """)
  void compilesWithDefaultOptions(String source, String expected) {
    assertEquivalent(compile(unescape(source)).code(), unescape(expected));
  }

  static String unescape(String s) {
    return s.replace("\\n", "\n").replace("\\t", "\t");
  }

  @Test
  void addsImportsFromTheExportsList() {
    String code = compile("fn();", new AdaptorImports(COMMON, List.of("fn"), false)).code();
    assertThat(code).isEqualTo("import { fn } from \"@openfn/language-common\";\nexport default [fn()];");
  }

  @Test
  void doesNotImportWhatIsAlreadyImported() {
    String code =
        compile("import { fn } from '@openfn/language-common'; fn();", new AdaptorImports(COMMON, List.of("fn"), false)).code();
    assertEquivalent(code, "import { fn } from '@openfn/language-common';\nexport default [fn()];");
  }

  @Test
  void dumbImportsSkipDeclaredNamesAndGlobals() {
    String code =
        compile("import { jam } from '@openfn/language-common'; jam(state);", new AdaptorImports(COMMON, List.of(), false)).code();
    assertEquivalent(code, "import { jam } from '@openfn/language-common';\nexport default [jam(state)];");
  }

  @Test
  void addsImportsWithExportAll() {
    String code = compile("fn();", new AdaptorImports(COMMON, List.of("fn"), true)).code();
    assertEquivalent(
        code, "import { fn } from \"@openfn/language-common\";\nexport * from \"@openfn/language-common\";\nexport default [fn()];");
  }

  @Test
  void twitterExample() throws IOException {
    String source = resource("jobs/twitter.js");
    CompiledJob job = compile(source);
    assertEquivalent(job.code(), resource("jobs/twitter.compiled.js"));
    assertThat(job.operations())
        .containsExactly(new Operation("fetchTweets", 5, 1), new Operation("each", 8, 2), new Operation("fn", 28, 3));
  }

  static String resource(String name) throws IOException {
    try (var in = ReferenceVectorsTest.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void lazyStateWithDumbImports() {
    String code = compile("get($.data.endpoint);", new AdaptorImports(COMMON, List.of(), true)).code();
    assertEquivalent(
        code,
        "import { get } from \"@openfn/language-common\";\nexport * from \"@openfn/language-common\";\n"
            + "export default [get(state => state.data.endpoint)];");
  }

  @Test
  void simplePromiseChain() {
    String code = compile("get($.data.endpoint).then((s => { console.log(s.data); return state;} ));").code();
    assertEquivalent(
        code,
        DEFER + "\nexport default [_defer(\n  get(state => state.data.endpoint),\n"
            + "  p => p.then((s => { console.log(s.data); return state;} ))\n)];");
  }

  @Test
  void promiseChainInsideEach() {
    String code = compile("each(\n  \"$.data[*]\",\n  post(\"/upsert\", (state) => state.data).then((s) => s)\n)").code();
    assertEquivalent(
        code,
        DEFER + "\nexport default [each(\n  \"$.data[*]\",\n"
            + "  _defer(post(\"/upsert\", (state) => state.data), p => p.then((s) => s))\n)];");
  }

  @Test
  void dumbImportsPickDanglingIdentifiers() {
    String code = compile("fn(state=> doSomething(state))", new AdaptorImports(COMMON, List.of(), false)).code();
    assertEquivalent(
        code, "import { fn, doSomething } from \"@openfn/language-common\";\nexport default [fn(state=> doSomething(state))];");
  }

  @Test
  void dumbImportsRespectTheIgnoreList() {
    CompileOptions options =
        CompileOptions.named("src").withAdaptor(new AdaptorImports(COMMON, List.of(), false)).withIgnoredImports(Set.of("doSomething"));
    String code = JobCompiler.compile("fn(state=> doSomething(state))", options).code();
    assertEquivalent(code, "import { fn } from \"@openfn/language-common\";\nexport default [fn(state=> doSomething(state))];");
  }

  // §5.5 top-level-operations, §5.6 ensure-exports

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          a(); b(); c();                           | export default [a(), b(), c()];
          fn(() => fn());                          | export default [fn(() => fn())];
          a.b();                                   | export default [a.b()];
          const x = a.b();                         | const x = a.b();\\nexport default [];
          combine(fn());                           | export default [combine(fn())];
          const x  = 10;                           | const x  = 10;\\nexport default [];
          \\nconst x  = 10;\\nconst fn  =  () => 2;\\nfn(); | const x  = 10;\\nconst fn  =  () => 2;\\nexport default [fn()];
          export default [];                       | export default [];
          const x = 10; export { x };              | const x = 10; export { x };\\nexport default [];
          export const x = 10;                     | export const x = 10;\\nexport default [];
          const x = 10; export { x as y };         | const x = 10; export { x as y };\\nexport default [];
          export * from "foo";                     | export * from "foo";\\nexport default [];
          """)
  void wrapsTopLevelOperations(String source, String expected) {
    assertEquivalent(compile(unescape(source)).code(), unescape(expected));
  }

  @Test
  void operationsAreListedWithLineAndOrder() {
    assertThat(JobCompiler.compile("fn(); export default [];", CompileOptions.named("src")).operations())
        .containsExactly(new Operation("fn", 1, 1));
  }

  // §5.12 what other packages rely on

  @Test
  void operationStaysOnItsLineForTheRuntimesPositionMapping() {
    CompiledJob job = compile("function fn(f) { return f() }\nfn((s) => z)");
    String line2 = job.code().split("\n")[1];
    assertThat(line2).isEqualTo("export default [fn((s) => z)];");
    assertThat(line2.indexOf('z')).isEqualTo(26);
    assertThat(dev.kiln.compiler.sourcemap.SourceMapPositions.of(job.sourceMapJson()).original(2, 26))
        .isEqualTo(new dev.kiln.compiler.sourcemap.SourceMapPositions.Position(2, 10));
  }

  @Test
  void operationLineIsTheOriginalLine() {
    assertThat(compile("\n\n  err();").operations()).containsExactly(new Operation("err", 3, 1));
  }

  @Test
  void syntaxErrorPositionAsTheEngineReportsIt() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> compile("fn((s) => { return s )"))
        .isInstanceOf(CompileError.class)
        .hasMessage("Unexpected token (1:21)");
  }

  @Test
  void cliVector() {
    assertThat(compile("x();").code()).isEqualTo("export default [x()];");
  }

  // §5.13 observed vectors

  @Test
  void iifeIsAnUnnamedOperation() {
    CompiledJob job = compile("(() => {})();");
    assertEquivalent(job.code(), "export default [(() => {})()];");
    assertThat(job.operations()).containsExactly(new Operation(null, 1, 1));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          await fn();                                   | await fn();\\nexport default [];
          const a = 1;\\nfn();\\n\\n\\nconst b = 2;\\n  | const a = 1;\\n\\n\\nconst b = 2;\\nexport default [fn()];\\n
          fn();\\n\\n\\nget();                          | export default [fn(), get()];
          \\n\\nfn();                                   | \\n\\nexport default [fn()];
          fn();\\n                                      | export default [fn()];\\n
          import { fn } from "x";\\n\\nfn();            | import { fn } from "x";\\n\\nexport default [fn()];
          fn(); export default [x];                     | export default [x, fn()];
          export default []; fn();                      | export default [];fn();
          fn(), fn();                                   | fn(), fn();\\nexport default [];
          x = fn();                                     | x = fn();\\nexport default [];
          new Foo();                                    | new Foo();\\nexport default [];
          label: fn();                                  | label: fn();\\nexport default [];
          // hello\\nfn(); // trailing\\n/* block */\\nget(); | export default [fn(), get()];
          """)
  void observedTopLevelVectors(String source, String expected) {
    assertEquivalent(compile(unescape(source)).code(), unescape(expected));
  }

  @Test
  void operationsBetweenOtherStatementsMoveToTheEnd() {
    CompiledJob job = compile("const a = 1;\nfn(a);\nconst b = 2;\nget(b);");
    assertEquivalent(job.code(), "const a = 1;\nconst b = 2;\nexport default [fn(a), get(b)];");
    assertThat(job.operations()).containsExactly(new Operation("fn", 2, 1), new Operation("get", 4, 2));
  }

  @Test
  void movedOperationsWithoutSemicolons() {
    assertEquivalent(
        compile("const a = 1\nfn(a)\nconst b = 2\nget(b).then(s => s)\nconst c = 3").code(),
        DEFER + "const a = 1\nconst b = 2\nconst c = 3\nexport default [fn(a), _defer(get(b), p => p.then(s => s))];");
  }

  @Test
  void deferImportGoesAfterTheLeadingImports() {
    String code = compile("import a from \"a\";\nconst b = 1;\nimport c from \"c\";\nget().then(s => s);").code();
    assertEquivalent(
        code,
        "import a from \"a\";\n" + DEFER + "const b = 1;\nimport c from \"c\";\nexport default [_defer(get(), p => p.then(s => s))];");
  }

  @Test
  void catchRightAfterTheOperationIsTheErrorHandler() {
    CompiledJob job = compile("get().catch(e => e).then(s => s).then(s => s);");
    assertEquivalent(job.code(), DEFER + "export default [_defer(get(), p => p.then(s => s).then(s => s), e => e)];");
    // The reference reports line -1 (its new node has no position); Kiln keeps the chain's line.
    assertThat(job.operations()).containsExactly(new Operation("_defer", 1, 1));
  }

  @Test
  void promiseWithLazyStateAndExportAll() {
    String code = compile("get($.url).then(s => s);", new AdaptorImports("@openfn/language-http", List.of(), true)).code();
    assertEquivalent(
        code,
        "import { get } from \"@openfn/language-http\";\nexport * from \"@openfn/language-http\";\n"
            + DEFER + "export default [_defer(get(state => state.url), p => p.then(s => s))];");
  }

  @Test
  void longImportListsWrapAndStayEquivalent() {
    String code =
        compile(
                "averyveryverylongname1(); averyveryverylongname2(); averyveryverylongname3(); averyveryverylongname4();",
                new AdaptorImports("ad", List.of(), false))
            .code();
    assertThat(code).startsWith("import {\n  averyveryverylongname1,\n");
    assertEquivalent(
        code,
        "import {\n  averyveryverylongname1,\n  averyveryverylongname2,\n  averyveryverylongname3,\n"
            + "  averyveryverylongname4,\n} from \"ad\";\n\nexport default [\n  averyveryverylongname1(),\n"
            + "  averyveryverylongname2(),\n  averyveryverylongname3(),\n  averyveryverylongname4()\n];");
  }

  @Test
  void hashbangIsAccepted() {
    // The reference's esprima tokenizer rejects it ("Line 1: Unexpected token ILLEGAL").
    String code = compile("#!/usr/bin/env node\nfn();", new AdaptorImports("ad", List.of(), false)).code();
    assertThat(code).startsWith("#!/usr/bin/env node\n");
    assertEquivalent(code, "#!/usr/bin/env node\nimport { fn } from \"ad\";\nexport default [fn()];");
  }

  @Test
  void privateFieldsAndBigIntAreAccepted() {
    // Both were "Unexpected token ILLEGAL" in the reference (esprima 4 tokenizer).
    assertEquivalent(
        compile("class A { #x = 10n; m() { return this.#x } }\nfn(s => new A().m());").code(),
        "class A { #x = 10n; m() { return this.#x } }\nexport default [fn(s => new A().m())];");
  }

  static Path write(Path dir, String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }
}
