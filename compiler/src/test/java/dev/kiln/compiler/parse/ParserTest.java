package dev.kiln.compiler.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.compiler.ast.ArrowFunctionExpression;
import dev.kiln.compiler.ast.CallExpression;
import dev.kiln.compiler.ast.ExpressionStatement;
import dev.kiln.compiler.ast.Literal;
import dev.kiln.compiler.ast.MemberExpression;
import dev.kiln.compiler.ast.Node;
import dev.kiln.compiler.ast.Program;
import dev.kiln.compiler.ast.TemplateElement;
import dev.kiln.compiler.ast.TemplateLiteral;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParserTest {

  private static String module(String source) {
    return AstDump.of(Parser.parseModule(source));
  }

  private static String script(String source) {
    return AstDump.of(Parser.parseScript(source));
  }

  private static Node firstExpression(Program program) {
    return ((ExpressionStatement) program.body().get(0)).expression();
  }

  @Test
  void jobCodeParsesToEstreeShapes() {
    assertThat(module("fn(state => { const x = $.a; return { ...state, x }; });"))
        .isEqualTo("Program(ExpressionStatement(CallExpression(fn ArrowFunctionExpression(state "
            + "BlockStatement(VariableDeclaration(VariableDeclarator(x MemberExpression($ a))) "
            + "ReturnStatement(ObjectExpression(SpreadElement(state) Property(x x))))))))");
  }

  @Test
  void spansLinesAndColumns() {
    Program program = Parser.parseModule("fn();\n  get('x')\r\n\tpost(1);");
    Node get = ((ExpressionStatement) program.body().get(1)).expression();
    assertThat(get.start()).isEqualTo(8);
    assertThat(get.end()).isEqualTo(16);
    assertThat(program.line(get.start())).isEqualTo(2);
    assertThat(program.column(get.start())).isEqualTo(2);
    Node post = ((ExpressionStatement) program.body().get(2)).expression();
    assertThat(program.line(post.start())).isEqualTo(3);
    assertThat(program.column(post.start())).isEqualTo(1);
  }

  @Test
  void everyLineTerminatorStartsALineAndColumnsCountUtf16Units() {
    Program program = Parser.parseModule("a\rb\u2028c\u2029d\r\n'\uD83D\uDE00'; e");
    List<String> positions = new ArrayList<>();
    program.body().forEach(statement -> statement.forEachChild(expr -> positions.add(
        AstDump.of(expr) + "@" + program.line(expr.start()) + ":" + program.column(expr.start()))));
    assertThat(positions).containsExactly("a@1:0", "b@2:0", "c@3:0", "d@4:0", "'\uD83D\uDE00'@5:0", "e@5:6");
    JsSyntaxError error = org.assertj.core.api.Assertions.catchThrowableOfType(JsSyntaxError.class,
        () -> Parser.parseModule("'\uD83D\uDE00' @"));
    assertThat(error.getMessage()).isEqualTo("Unexpected character '@' (1:5)");
  }

  @Test
  void childrenAreVisitedInEstreeFieldOrder() {
    CallExpression call = (CallExpression) firstExpression(Parser.parseModule("a.b(c, d)"));
    List<String> order = new ArrayList<>();
    call.forEachChild(child -> order.add(AstDump.of(child)));
    assertThat(order).containsExactly("MemberExpression(a b)", "c", "d");
  }

  @Test
  void automaticSemicolonInsertion() {
    assertThat(module("a\nb")).isEqualTo("Program(ExpressionStatement(a) ExpressionStatement(b))");
    assertThat(module("a\n(b)")).isEqualTo("Program(ExpressionStatement(CallExpression(a b)))");
    assertThat(module("a\n++b")).isEqualTo("Program(ExpressionStatement(a) ExpressionStatement(UpdateExpression(b)))");
    assertThat(module("function f() { return\n1 }"))
        .isEqualTo("Program(FunctionDeclaration(f BlockStatement(ReturnStatement ExpressionStatement(1))))");
    assertThat(module("x = 1\n;[a].map(f)")).contains("CallExpression(MemberExpression(ArrayExpression(a) map) f)");
  }

  @Test
  void regexVersusDivision() {
    assertThat(module("a = b / c / d")).isEqualTo("Program(ExpressionStatement(AssignmentExpression(a BinaryExpression(BinaryExpression(b c) d))))");
    assertThat(module("a = /b/g.test(c)")).isEqualTo("Program(ExpressionStatement(AssignmentExpression(a CallExpression(MemberExpression(/b/g test) c))))");
    assertThat(module("x = a\n/b/g")).isEqualTo("Program(ExpressionStatement(AssignmentExpression(x BinaryExpression(BinaryExpression(a b) g))))");
    assertThat(module("if (a) /=x/.test(b)")).contains("/=x/");
    assertThat(module("x = {} / 2")).contains("BinaryExpression(ObjectExpression 2)");
    Literal regex = (Literal) firstExpression(Parser.parseModule("/[/]\\//dgimsuy"));
    assertThat(regex.regex().pattern()).isEqualTo("[/]\\/");
    assertThat(regex.regex().flags()).isEqualTo("dgimsuy");
    assertThat(module("/[\\p{L}--[a-z]]/v")).contains("/v");
    assertThat(module("/\\p{Script=Greek}\\P{Lu}\\p{ASCII}(?<y>\\d{4})\\k<y>/u; /\\k<x>]{/")).contains("/u");
  }

  @Test
  void templateLiterals() {
    TemplateLiteral template = (TemplateLiteral) firstExpression(Parser.parseModule("`a${b}c${`d`}`"));
    assertThat(template.quasis()).extracting(TemplateElement::cooked).containsExactly("a", "c", "");
    assertThat(template.expressions()).hasSize(2);
    assertThat(module("tag`\\unicode and \\u{55}`"))
        .isEqualTo("Program(ExpressionStatement(TaggedTemplateExpression(tag TemplateLiteral(TemplateElement))))");
  }

  @Test
  void modernSyntax() {
    assertThat(module("a?.b.c?.(d)")).isEqualTo("Program(ExpressionStatement(ChainExpression(CallExpression(MemberExpression(MemberExpression(a b) c) d))))");
    assertThat(module("a ?? (b || c)")).isEqualTo("Program(ExpressionStatement(LogicalExpression(a LogicalExpression(b c))))");
    assertThat(module("a ||= b; c &&= d; e ??= f; g **= 2 ** 3")).contains("AssignmentExpression(g BinaryExpression(2 3))");
    assertThat(module("await fetch(x)")).isEqualTo("Program(ExpressionStatement(AwaitExpression(CallExpression(fetch x))))");
    assertThat(module("for await (const x of y) {}")).startsWith("Program(ForOfStatement");
    assertThat(module("const {a, b: [c = 1, ...d], ...e} = f")).contains("ObjectPattern(Property(a a) Property(b ArrayPattern(AssignmentPattern(c 1) RestElement(d))) RestElement(e))");
    assertThat(module("async function* g() { yield* h(); }")).startsWith("Program(FunctionDeclaration(g");
    assertThat(module("x = import.meta.url; y = import('m'); z = function () { return new.target }"))
        .contains("MetaProperty(import meta)").contains("ImportExpression('m')").contains("MetaProperty(new target)");
    assertThat(script("var let = 1; yield = 2; await = 3; with (a) b")).contains("WithStatement(a ExpressionStatement(b))");
  }

  @Test
  void classesWithPrivateMembersFieldsAndStaticBlocks() {
    assertThat(module("class A extends B { #x = 1; static y; static { this.z = 1; } get #p() { return this.#x; } has(o) { return #x in o; } constructor() { super(); } }"))
        .contains("PropertyDefinition(#x 1)")
        .contains("StaticBlock(")
        .contains("BinaryExpression(#x o)")
        .contains("MemberExpression(ThisExpression #x)");
  }

  @Test
  void importAndExportInAllForms() {
    assertThat(module("import a, { b as c, 'd e' as f } from 'x'; import * as ns from 'y'; import 'z';"
            + "export * from 'm'; export * as n from 'n'; export { c as 'g h', f }; export default class {}"
            + "export const k = 1; export async function l() {}"))
        .contains("ImportSpecifier('d e' f)")
        .contains("ExportAllDeclaration(n 'n')")
        .contains("ExportSpecifier(c 'g h')")
        .contains("ExportDefaultDeclaration(ClassDeclaration(ClassBody))");
  }

  @Test
  void literals() {
    Program program = Parser.parseModule("10n; 1_000.5; 0x1F; 'a\\x41\\u{42}'; .5e1");
    List<Object> values = new ArrayList<>();
    for (Node statement : program.body()) {
      values.add(((Literal) ((ExpressionStatement) statement).expression()).value());
    }
    assertThat(values).containsExactly(BigInteger.TEN, 1000.5, 31.0, "aAB", 5.0);
    assertThat(((Literal) ((ExpressionStatement) program.body().get(0)).expression()).bigint()).isEqualTo("10");
  }

  @Test
  void hashbangAndEmptyInputs() {
    assertThat(module("#!/usr/bin/env node\nfn()")).isEqualTo("Program(ExpressionStatement(CallExpression(fn)))");
    assertThat(module("")).isEqualTo("Program");
    assertThat(module("// nothing\n/* here */")).isEqualTo("Program");
    assertThat(Parser.parseModule("// a\n/* b */").comments()).hasSize(2);
  }

  @Test
  void sloppyScriptRules() {
    assertThat(script("if (a) function f() {}")).isEqualTo("Program(IfStatement(a FunctionDeclaration(f BlockStatement)))");
    assertThat(script("x = 010 + '\\07'")).contains("010");
    assertThat(script("a <!-- comment\n--> also a comment\nb")).isEqualTo("Program(ExpressionStatement(a) ExpressionStatement(b))");
    assertThat(script("{ function f() {} function f() {} }")).startsWith("Program(BlockStatement");
    assertThat(script("'use strict'; x")).isEqualTo("Program(ExpressionStatement('use strict') ExpressionStatement(x))");
  }

  @Test
  void directivesAreMarked() {
    Program program = Parser.parseScript("'use strict'; ('not a directive')");
    assertThat(((ExpressionStatement) program.body().get(0)).directive()).isEqualTo("use strict");
    assertThat(((ExpressionStatement) program.body().get(1)).directive()).isNull();
  }

  @Test
  void unicodeEscapesInIdentifiers() {
    assertThat(module("var \\u0061b = \\u{62}")).isEqualTo("Program(VariableDeclaration(VariableDeclarator(ab b)))");
  }

  @Test
  void arrowWithSingleParamAndMemberAccess() {
    ArrowFunctionExpression arrow = (ArrowFunctionExpression) ((CallExpression) firstExpression(
        Parser.parseModule("fn(s => s.data)"))).arguments().get(0);
    assertThat(arrow.expression()).isTrue();
    assertThat(arrow.body()).isInstanceOf(MemberExpression.class);
  }
}
