package dev.kiln.compiler;

import static dev.kiln.compiler.JsEquivalence.assertEquivalent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Spec §5.2 and §2.1: lazy state. The reference's lazy-state tests run that transform alone;
 * here the whole compiler runs, so each expected output is the reference's with the operation
 * wrapped in {@code export default [...]}.
 */
class LazyStateTest {

  static String compile(String source) {
    return JobCompiler.compile(ReferenceVectorsTest.unescape(source), CompileOptions.named("src")).code();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          get($.data)                                        | export default [get(state => state.data)]
          const x = { x: $.data };\\nfn($.data)              | const x = { x: $.data };\\nexport default [fn(state => state.data)]
          get($.a.b.c.d)                                     | export default [get(state => state.a.b.c.d)]
          get(a.b.c.d)                                       | export default [get(a.b.c.d)]
          get(`hello ${$.data}`)                             | export default [get(state => `hello ${state.data}`)]
          get(`hello ${$.firstname} ${$.lastname}`)          | export default [get(state => `hello ${state.firstname} ${state.lastname}`)]
          get(state => `hello ${$.data}`)                    | export default [get(state => `hello ${state.data}`)]
          get($.firstname + " " + $.lastname)                | export default [get(state => state.firstname + " " + state.lastname)]
          get(city[$.location])                              | export default [get(state => city[state.location])]
          get("$.a.b")                                       | export default [get("$.a.b")]
          fn(() => {\\n  get($.data)\\n})                    | export default [fn(() => {\\n  get(state => state.data)\\n})]
          fn(($) => {\\n    return $.a.b;\\n  })             | export default [fn(($) => {\\n    return $.a.b;\\n  })]
          fn((s) => {\\n    const $ = 10;\\n    s.data = $.a.b\\n    return s;\\n  }) | export default [fn((s) => {\\n    const $ = 10;\\n    s.data = $.a.b\\n    return s;\\n  })]
          get($.a?.b.c.d)                                    | export default [get(state => state.a?.b.c.d)]
          get(!$.data.x)                                     | export default [get(state => !state.data.x)]
          fn($.callMeMaybe())                                | export default [fn(state => state.callMeMaybe())]
          fn($.callMeMaybe($.age))                           | export default [fn(state => state.callMeMaybe(state.age))]
          fn({ url: $.data.url })                            | export default [fn(state => ({ url: state.data.url }))]
          fn([$.a, $.b])                                     | export default [fn(state => [state.a, state.b])]
          fn($.a, $.b)                                       | export default [fn(state => state.a, state => state.b)]
          fn($.a + foo($.b))                                 | export default [fn(state => state.a + foo(state => state.b))]
          fn(foo($.a) + $.b)                                 | export default [fn(state => foo(state => state.a) + state.b)]
          fn(new Foo($.a))                                   | export default [fn(state => new Foo(state.a))]
          fn(a, b = $.x)                                     | export default [fn(a, state => b = state.x)]
          fn($?.a)                                           | export default [fn(state => state?.a)]
          fn(state => $.data)                                | export default [fn(state => state.data)]
          fn(async state => $.a)                             | export default [fn(async state => state.a)]
          fn($)                                              | export default [fn($)]
          const $ = 1; fn($.a)                               | const $ = 1;\\nexport default [fn(state => state.a)]
          const big = { a: $.b }                             | const big = { a: $.b }\\nexport default []
          fn((a, $.b))                                       | export default [fn(state => (a, state.b))]
          """)
  void converts(String source, String expected) {
    assertEquivalent(compile(source), ReferenceVectorsTest.unescape(expected));
  }

  /** Reference bugs (spec §2.1 "known-bad edge cases"), fixed: the call on state is the unit. */
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          fn($.x.y($.z))       | export default [fn(state => state.x.y(state.z))]
          fn($.a.m())          | export default [fn(state => state.a.m())]
          fn(state.m($.a))     | export default [fn(state => state.m(state.a))]
          """)
  void fixesTheReferenceCalleeBugs(String source, String expected) {
    // reference: (state => state.x.y)(state => state.z), (state => state.a.m)(), and a stack overflow
    assertEquivalent(compile(source), expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          get((s) => `hello ${$.data}`)          | Lazy State Error: parameter "s" should be called "state" (1:4)
          get((state, b) => `hello ${$.data}`)   | Lazy State Error: parent has wrong arity (1:4)
          const x = $.data;                      | Lazy State Error: Must be inside an operation (1:10)
          $.data = 20;                           | Lazy State Error: Must be inside an operation (1:0)
          fn(() => { $.data = 20; })             | Lazy State Error: Must be inside an operation (1:11)
          const z = $.data = 20;                 | Lazy State Error: Must be inside an operation (1:10)
          fn(() => $.data)                       | Lazy State Error: parent has wrong arity (1:3)
          fn(() => { return $.data })            | Lazy State Error: Must be inside an operation (1:18)
          get("x").then(s => $.data)             | Lazy State Error: parameter "s" should be called "state" (1:14)
          fn(class A { m() { return $.x } })     | Lazy State Error: Must be inside an operation (1:26)
          const big = [{ a: $.b }]; fn(e);       | Lazy State Error: Must be inside an operation (1:18)
          \\tconst x = $.a;                      | Lazy State Error: Must be inside an operation (1:11)
          """)
  void reportsMisuse(String source, String message) {
    // Tabs count as one column (the reference expands leading tabs to 4: "(1:14)" for the last one).
    assertThatThrownBy(() -> compile(source))
        .isInstanceOf(CompileError.class)
        .hasMessage(message)
        .satisfies(e -> assertThat(((CompileError) e).codeFrame()).contains("^"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          fn(...$.items)   | Lazy State Error: Cannot spread lazy state into an operation's arguments (1:3)
          $.foo();         | Lazy State Error: Must be inside an operation (1:0)
          """)
  void reportsWhatTheReferenceMiscompiled(String source, String message) {
    // reference: an ast-types builder error, and "state => state.foo();" silently dropped from the operations
    assertThatThrownBy(() -> compile(source)).isInstanceOf(CompileError.class).hasMessage(message);
  }

  @org.junit.jupiter.api.Test
  void outsideOperationErrorExplainsWhy() {
    assertThatThrownBy(() -> compile("const x = $.data;"))
        .isInstanceOfSatisfying(
            CompileError.class,
            e -> {
              assertThat(e.details()).contains("must be used inside a top-level operation");
              assertThat(e.line()).isEqualTo(1);
              assertThat(e.column()).isEqualTo(10);
              assertThat(e.codeFrame()).isEqualTo("> 1 | const x = $.data;\n    |           ^\n");
            });
  }
}
