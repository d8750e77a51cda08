package dev.kiln.compiler.parse;

import java.util.HashMap;
import java.util.Map;

/**
 * Token kinds, as acorn names them. {@code beforeExpr}: an expression (so a regex) may follow;
 * {@code startsExpr}: the token can begin an expression; {@code binop}: binary precedence or -1.
 */
enum TokenType {
  NAME("name", false, true),
  PRIVATE_ID("privateId", false, true),
  NUM("num", false, true),
  STRING("string", false, true),
  REGEXP("regexp", false, true),
  TEMPLATE("template", false, true),
  EOF("eof", false, false),

  BRACKET_L("[", true, true),
  BRACKET_R("]", false, false),
  BRACE_L("{", true, true),
  BRACE_R("}", false, false),
  PAREN_L("(", true, true),
  PAREN_R(")", false, false),
  COMMA(",", true, false),
  SEMI(";", true, false),
  COLON(":", true, false),
  DOT(".", false, false),
  QUESTION("?", true, false),
  QUESTION_DOT("?.", false, false),
  ARROW("=>", true, false),
  ELLIPSIS("...", true, false),
  BACK_QUOTE("`", false, true),

  EQ("=", true, false, true, -1),
  ASSIGN("_=", true, false, true, -1),
  INC_DEC("++/--", false, true),
  PREFIX("!/~", true, true),
  LOGICAL_OR("||", true, false, false, 1),
  LOGICAL_AND("&&", true, false, false, 2),
  BITWISE_OR("|", true, false, false, 3),
  BITWISE_XOR("^", true, false, false, 4),
  BITWISE_AND("&", true, false, false, 5),
  EQUALITY("==/!=/===/!==", true, false, false, 6),
  RELATIONAL("</>/<=/>=", true, false, false, 7),
  BIT_SHIFT("<</>>/>>>", true, false, false, 8),
  PLUS_MIN("+/-", true, true, false, 9),
  MODULO("%", true, false, false, 10),
  STAR("*", true, false, false, 10),
  SLASH("/", true, false, false, 10),
  STARSTAR("**", true, false),
  COALESCE("??", true, false, false, 1),

  K_BREAK("break"),
  K_CASE("case", true, false),
  K_CATCH("catch"),
  K_CONTINUE("continue"),
  K_DEBUGGER("debugger"),
  K_DEFAULT("default", true, false),
  K_DO("do", true, false),
  K_ELSE("else", true, false),
  K_FINALLY("finally"),
  K_FOR("for"),
  K_FUNCTION("function", false, true),
  K_IF("if"),
  K_RETURN("return", true, false),
  K_SWITCH("switch"),
  K_THROW("throw", true, false),
  K_TRY("try"),
  K_VAR("var"),
  K_CONST("const"),
  K_WHILE("while"),
  K_WITH("with"),
  K_NEW("new", true, true),
  K_THIS("this", false, true),
  K_SUPER("super", false, true),
  K_CLASS("class", false, true),
  K_EXTENDS("extends", true, false),
  K_EXPORT("export"),
  K_IMPORT("import", false, true),
  K_NULL("null", false, true),
  K_TRUE("true", false, true),
  K_FALSE("false", false, true),
  K_IN("in", true, false, false, 7),
  K_INSTANCEOF("instanceof", true, false, false, 7),
  K_TYPEOF("typeof", true, true),
  K_VOID("void", true, true),
  K_DELETE("delete", true, true);

  private static final Map<String, TokenType> KEYWORDS = new HashMap<>();

  static {
    for (TokenType type : values()) {
      if (type.name().startsWith("K_")) {
        KEYWORDS.put(type.label, type);
      }
    }
  }

  final String label;
  final boolean beforeExpr;
  final boolean startsExpr;
  final boolean isAssign;
  final int binop;

  TokenType(String label, boolean beforeExpr, boolean startsExpr, boolean isAssign, int binop) {
    this.label = label;
    this.beforeExpr = beforeExpr;
    this.startsExpr = startsExpr;
    this.isAssign = isAssign;
    this.binop = binop;
  }

  TokenType(String label, boolean beforeExpr, boolean startsExpr) {
    this(label, beforeExpr, startsExpr, false, -1);
  }

  TokenType(String keyword) {
    this(keyword, false, false, false, -1);
  }

  boolean isKeyword() {
    return name().startsWith("K_");
  }

  boolean isLoop() {
    return this == K_DO || this == K_FOR || this == K_WHILE;
  }

  /** The keyword token for {@code word}, or null. */
  static TokenType keyword(String word) {
    return KEYWORDS.get(word);
  }
}
