package dev.kiln.compiler.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SyntaxErrorTest {

  private static JsSyntaxError moduleError(String source) {
    try {
      Parser.parseModule(source);
    } catch (JsSyntaxError e) {
      return e;
    }
    throw new AssertionError("accepted: " + source);
  }

  @ParameterizedTest
  @CsvSource(delimiterString = "~~", quoteCharacter = '"', textBlock = """
      fn(                               ~~ Unexpected token (1:3)
      "fn();\\nfn(})"                   ~~ Unexpected token (2:3)
      with (a) {}                       ~~ 'with' in strict mode (1:0)
      return 1;                         ~~ 'return' outside of function (1:0)
      fn(s => s.#x)                     ~~ Private field '#x' must be declared in an enclosing class (1:10)
      fn(<div/>)                        ~~ Unexpected token (1:3)
      let a; let a;                     ~~ Identifier 'a' has already been declared (1:11)
      const a = 1; var a;               ~~ Identifier 'a' has already been declared (1:17)
      1 = 2                             ~~ Assigning to rvalue (1:0)
      a + 1 = 2                         ~~ Assigning to rvalue (1:0)
      ({a: 1} = b)                      ~~ Assigning to rvalue (1:5)
      a?.b = 1                          ~~ Optional chaining cannot appear in left-hand side (1:0)
      for (;;) { break foo; }           ~~ Unsyntactic break (1:11)
      foo: { continue foo; }            ~~ Unsyntactic continue (1:7)
      var interface;                    ~~ The keyword 'interface' is reserved (1:4)
      var await;                        ~~ Cannot use keyword 'await' outside an async function (1:4)
      x = {__proto__: 1, __proto__: 2}  ~~ Redefinition of __proto__ property (1:19)
      function f() { super.x }          ~~ 'super' keyword outside a method (1:15)
      x = 010                           ~~ Invalid number (1:4)
      x = '\\07'                        ~~ Octal literal in strict mode (1:5)
      (a, a) => 1                       ~~ Argument name clash (1:4)
      export { a as b, c as b }; var a, c; ~~ Duplicate export 'b' (1:22)
      export { nope }                   ~~ Export 'nope' is not defined (1:9)
      a ?? b || c                       ~~ Logical expressions and coalesce expressions cannot be mixed. Wrap either by parentheses (1:7)
      "x = 'abc"                        ~~ Unterminated string constant (1:4)
      x = `abc                          ~~ Unterminated template (1:5)
      x /* abc                          ~~ Unterminated comment (1:2)
      x = /abc                          ~~ Unterminated regular expression (1:5)
      x = /a/gg                         ~~ Duplicate regular expression flag (1:5)
      x = /a/x                          ~~ Invalid regular expression flag (1:5)
      x = /(?<n>a)(?<n>b)/              ~~ Invalid regular expression: /(?<n>a)(?<n>b)/: Duplicate capture group name (1:5)
      x = /\\p{Foo}/u                  ~~ Invalid regular expression: /\\p{Foo}/: Invalid property name (1:5)
      x = /\\P{RGI_Emoji}/v            ~~ Invalid regular expression: /\\P{RGI_Emoji}/: Invalid property name (1:5)
      x = /a{2,1}/                      ~~ Invalid regular expression: /a{2,1}/: numbers out of order in {} quantifier (1:5)
      x = /[b-a]/                       ~~ Invalid regular expression: /[b-a]/: Range out of order in character class (1:5)
      x = /\\k<a>/u                    ~~ Invalid regular expression: /\\k<a>/: Invalid named capture referenced (1:5)
      x = `\\unicode`                   ~~ Bad escape sequence in untagged template literal (1:5)
      class A { #x; #x; }               ~~ Identifier '#x' has already been declared (1:14)
      class A { constructor() { super(); } } ~~ super() call outside constructor of a subclass (1:26)
      x = 1__0                          ~~ Numeric separator must be exactly one underscore (1:6)
      "#!/bin/sh\\n#!again"             ~~ Unexpected character '!' (2:1)
      """)
  void errorsAreReportedAcornStyle(String source, String message) {
    String code = source.replace("\\n", "\n").replace("\\\\", "\\");
    assertThat(moduleError(code).getMessage()).isEqualTo(message);
  }

  @Test
  void errorCarriesPositionLineAndColumn() {
    JsSyntaxError error = moduleError("fn();\nfn(})");
    assertThat(error.pos()).isEqualTo(9);
    assertThat(error.line()).isEqualTo(2);
    assertThat(error.column()).isEqualTo(3);
    assertThat(error.description()).isEqualTo("Unexpected token");
  }

  @Test
  void scriptsAllowWhatModulesReject() {
    Parser.parseScript("with (a) {} var await; x = 010;");
    assertThatThrownBy(() -> Parser.parseScript("import x from 'y'"))
        .hasMessage("'import' and 'export' may appear only with 'sourceType: module' (1:0)");
  }

  @ParameterizedTest
  @CsvSource({"(", "[", "{a:", "function f(){", "!", "'new '", "x=>", "[["})
  void deepNestingIsAClearErrorNotAStackOverflow(String opener) {
    String source = "x = " + opener.repeat(10_000);
    assertThatThrownBy(() -> Parser.parseModule(source))
        .isInstanceOf(JsSyntaxError.class)
        .hasMessageStartingWith("Nesting too deep");
  }

  static Stream<String> deepStatementsAndPatterns() {
    StringBuilder labels = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      labels.append('l').append(i).append(": ");
    }
    return Stream.of("{".repeat(10_000), "if (a) ".repeat(10_000), labels + "x", "x = `${".repeat(10_000),
        "let " + "[".repeat(10_000), "const " + "{a: ".repeat(10_000), "class A extends (".repeat(10_000));
  }

  @ParameterizedTest
  @MethodSource("deepStatementsAndPatterns")
  void deepStatementAndPatternNestingIsAClearError(String source) {
    assertThatThrownBy(() -> Parser.parseModule(source))
        .isInstanceOf(JsSyntaxError.class)
        .hasMessageStartingWith("Nesting too deep");
  }

  @Test
  void nestingWithinTheLimitParses() {
    String source = "x = " + "(".repeat(500) + "1" + ")".repeat(500) + "; f(" + "[".repeat(500) + "a" + "]".repeat(500) + ")";
    assertThat(Parser.parseModule(source).body()).hasSize(2);
  }
}
