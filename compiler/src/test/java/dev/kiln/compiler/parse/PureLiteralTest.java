package dev.kiln.compiler.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.compiler.ast.ExpressionStatement;
import dev.kiln.compiler.ast.Program;
import dev.kiln.compiler.ast.PureLiteral;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PureLiteralTest {

  private static String module(String source) {
    return AstDump.of(Parser.parseModule(source));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "[1, -2, 3.5e2, .5, 'a', \"b\\n\\u0041\\x41\\u{1F600}\", true, false, null]",
      "{a: 1, 'b': [2, {c: null}], 3: -4, default: 'x', \"__proto__\": 1,}",
      "[[[[[[[1]]]]]], {}, [], {x: {}}]",
      "{ // comment\n a: /* inline */ 1 }",
      "[\n  - 1,\n  2,\n]"})
  void literalOnlyObjectsAndArraysBecomeOneNode(String literal) {
    Program program = Parser.parseModule("x = " + literal + ";");
    assertThat(module("x = " + literal + ";")).startsWith("Program(ExpressionStatement(AssignmentExpression(x Pure");
    PureLiteral pure = (PureLiteral) ((dev.kiln.compiler.ast.AssignmentExpression)
        ((ExpressionStatement) program.body().get(0)).expression()).right();
    assertThat(pure.start()).isEqualTo(4);
    assertThat(pure.end()).isEqualTo(4 + literal.length());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "[a]", "[1, a]", "{a}", "{[k]: 1}", "{...o}", "{m() {}}", "{get a() { return 1 }}", "[...a]",
      "[1,,2]", "[+1]", "[1 + 1]", "[`t`]", "[/re/]", "[1n]", "[1_000]", "[0x10]", "{a: 1, b: f()}",
      "{__proto__: 1, '__proto__': 2, c: d}", "[[[[x]]]]", "[{a: [1, 2, {b: c}]}]"})
  void anythingElseIsParsedNormally(String literal) {
    String tree;
    try {
      tree = module("x = " + literal + ";");
    } catch (JsSyntaxError e) {
      assertThat(e.getMessage()).contains("__proto__");
      return;
    }
    assertThat(tree).doesNotContain("PureARRAY(").startsWith("Program(ExpressionStatement(AssignmentExpression(x ");
    assertThat(tree).contains(literal.startsWith("[") ? "ArrayExpression" : "ObjectExpression");
  }

  @Test
  void innerPureLiteralsOfAnImpureLiteralStillUseTheFastPath() {
    assertThat(module("x = [{a: 1, b: [2, 3]}, y, [4]]"))
        .isEqualTo("Program(ExpressionStatement(AssignmentExpression(x ArrayExpression(PureOBJECT y PureARRAY))))");
    assertThat(module("x = {a: {b: [1, {c: z}]}, d: {e: 1}}"))
        .isEqualTo("Program(ExpressionStatement(AssignmentExpression(x ObjectExpression("
            + "Property(a ObjectExpression(Property(b ArrayExpression(1 ObjectExpression(Property(c z)))))) "
            + "Property(d PureOBJECT)))))");
  }

  @Test
  void contextDependentLiteralsGetTheSameErrorsAsWithoutTheFastPath() {
    assertThatThrownBy(() -> Parser.parseModule("x = [010]")).hasMessage("Invalid number (1:5)");
    assertThatThrownBy(() -> Parser.parseModule("x = {a: '\\07'}")).hasMessage("Octal literal in strict mode (1:9)");
    assertThatThrownBy(() -> Parser.parseModule("x = {__proto__: 1, '__proto__': 2}"))
        .hasMessage("Redefinition of __proto__ property (1:19)");
    assertThatThrownBy(() -> Parser.parseModule("[1, 2] = x")).hasMessage("Assigning to rvalue (1:1)");
    assertThatThrownBy(() -> Parser.parseModule("x = [1, 'unterminated]")).hasMessage("Unterminated string constant (1:8)");
    Parser.parseScript("x = [010, '\\07']");
  }

  @Test
  void commentsInsideAPureLiteralAreKept() {
    assertThat(Parser.parseModule("x = [1, /* a */ 2] // b").comments()).hasSize(2);
  }

  @Test
  void aHugeNestedLiteralNeedsNoRecursion() {
    String deep = "[".repeat(100_000) + "1" + "]".repeat(100_000);
    assertThat(module("x = " + deep)).isEqualTo("Program(ExpressionStatement(AssignmentExpression(x PureARRAY)))");
  }
}
