package dev.kiln.compiler.parse;

import dev.kiln.compiler.ast.Identifier;
import dev.kiln.compiler.ast.Node;
import dev.kiln.compiler.ast.PrivateIdentifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parser's context beyond the token: scopes and declared names, labels, private names,
 * strictness, nesting depth, and the token-level helpers (eat, expect, ASI) every grammar part
 * uses.
 */
abstract class ParserState extends Tokenizer {
  /** Deeper nesting than this is rejected with a clear error instead of exhausting the stack. */
  static final int MAX_NESTING = 5000;

  static final int BIND_NONE = 0;
  static final int BIND_VAR = 1;
  static final int BIND_LEXICAL = 2;
  static final int BIND_FUNCTION = 3;
  static final int BIND_SIMPLE_CATCH = 4;
  static final int BIND_OUTSIDE = 5;

  private static final Set<String> RESERVED_STRICT =
      Set.of("implements", "interface", "let", "package", "private", "protected", "public", "static", "yield");

  final List<Scope> scopeStack = new ArrayList<>();
  List<Label> labels = new ArrayList<>();
  final List<PrivateNames> privateNameStack = new ArrayList<>();
  /** {@code export { name }} before (or without) a declaration of name: name → the node. */
  final Map<String, Node> undefinedExports = new LinkedHashMap<>();

  int potentialArrowAt = -1;
  boolean potentialArrowInForAwait;
  int yieldPos;
  int awaitPos;
  int awaitIdentPos;
  private int depth;

  /** A label in scope; {@code kind} is "loop", "switch" or null. */
  static final class Label {
    final String name;
    String kind;
    int statementStart;

    Label(String name, String kind, int statementStart) {
      this.name = name;
      this.kind = kind;
      this.statementStart = statementStart;
    }
  }

  /** Private names of one class body: declared ones (name → kind) and uses to resolve. */
  static final class PrivateNames {
    final Map<String, String> declared = new HashMap<>();
    final List<PrivateIdentifier> used = new ArrayList<>();
  }

  ParserState(String input, boolean module) {
    super(input, module);
  }

  // ---- nesting

  final void enterNesting() {
    if (++depth > MAX_NESTING) {
      throw error(start, "Nesting too deep: more than " + MAX_NESTING
          + " levels of brackets, braces, parentheses or functions");
    }
  }

  final void exitNesting() {
    depth--;
  }

  // ---- tokens

  final void next() {
    next(false);
  }

  final void next(boolean ignoreEscapeInKeyword) {
    if (!ignoreEscapeInKeyword && type.isKeyword() && containsEsc) {
      throw error(start, "Escape sequence in keyword " + type.label);
    }
    nextToken();
  }

  final boolean eat(TokenType tokenType) {
    if (type == tokenType) {
      next();
      return true;
    }
    return false;
  }

  final boolean isContextual(String name) {
    return type == TokenType.NAME && name.equals(value) && !containsEsc;
  }

  final boolean eatContextual(String name) {
    if (!isContextual(name)) {
      return false;
    }
    next();
    return true;
  }

  final void expectContextual(String name) {
    if (!eatContextual(name)) {
      throw unexpected();
    }
  }

  final void expect(TokenType tokenType) {
    if (!eat(tokenType)) {
      throw unexpected();
    }
  }

  final boolean canInsertSemicolon() {
    return type == TokenType.EOF || type == TokenType.BRACE_R || newlineBefore;
  }

  final void semicolon() {
    if (!eat(TokenType.SEMI) && !canInsertSemicolon()) {
      throw unexpected();
    }
  }

  /**
   * Between two items of a {@code { a, b }} list: expects the comma, and consumes a closing brace
   * right after it (a trailing comma). True when that ended the list.
   */
  final boolean commaEndsBraceList() {
    expect(TokenType.COMMA);
    return afterTrailingComma(TokenType.BRACE_R, false);
  }

  final boolean afterTrailingComma(TokenType close, boolean notNext) {
    if (type == close) {
      if (!notNext) {
        next();
      }
      return true;
    }
    return false;
  }

  /** The current token is a {@code /} or {@code /=} that, in expression position, starts a regex. */
  final boolean isSlash() {
    return type == TokenType.SLASH || (type == TokenType.ASSIGN && "/=".equals(value));
  }

  final boolean startsExpr() {
    return type.startsExpr || isSlash();
  }

  // ---- scopes

  final void enterScope(int flags) {
    scopeStack.add(new Scope(flags));
  }

  final void exitScope() {
    scopeStack.remove(scopeStack.size() - 1);
  }

  final Scope currentScope() {
    return scopeStack.get(scopeStack.size() - 1);
  }

  final Scope currentVarScope() {
    for (int i = scopeStack.size() - 1; ; i--) {
      Scope scope = scopeStack.get(i);
      if (scope.has(Scope.VAR)) {
        return scope;
      }
    }
  }

  final Scope currentThisScope() {
    for (int i = scopeStack.size() - 1; ; i--) {
      Scope scope = scopeStack.get(i);
      if (scope.has(Scope.VAR) && !scope.has(Scope.ARROW)) {
        return scope;
      }
    }
  }

  final boolean inFunction() {
    return currentVarScope().has(Scope.FUNCTION);
  }

  final boolean inGenerator() {
    Scope scope = currentVarScope();
    return scope.has(Scope.GENERATOR) && !scope.inClassFieldInit;
  }

  final boolean inAsync() {
    Scope scope = currentVarScope();
    return scope.has(Scope.ASYNC) && !scope.inClassFieldInit;
  }

  final boolean canAwait() {
    for (int i = scopeStack.size() - 1; i >= 0; i--) {
      Scope scope = scopeStack.get(i);
      if (scope.inClassFieldInit || scope.has(Scope.CLASS_STATIC_BLOCK)) {
        return false;
      }
      if (scope.has(Scope.FUNCTION)) {
        return scope.has(Scope.ASYNC);
      }
    }
    return module;
  }

  final boolean allowSuper() {
    Scope scope = currentThisScope();
    return scope.has(Scope.SUPER) || scope.inClassFieldInit;
  }

  final boolean allowDirectSuper() {
    return currentThisScope().has(Scope.DIRECT_SUPER);
  }

  final boolean allowNewDotTarget() {
    for (int i = scopeStack.size() - 1; i >= 0; i--) {
      Scope scope = scopeStack.get(i);
      if (scope.inClassFieldInit || scope.has(Scope.CLASS_STATIC_BLOCK)) {
        return true;
      }
      if (scope.has(Scope.FUNCTION) && !scope.has(Scope.ARROW)) {
        return true;
      }
    }
    return false;
  }

  final boolean inClassStaticBlock() {
    return currentVarScope().has(Scope.CLASS_STATIC_BLOCK);
  }

  private boolean treatFunctionsAsVarInScope(Scope scope) {
    return scope.has(Scope.FUNCTION) || (!module && scope.has(Scope.TOP));
  }

  final boolean treatFunctionsAsVar() {
    return treatFunctionsAsVarInScope(currentScope());
  }

  final void declareName(String name, int bindingType, int at) {
    boolean redeclared = false;
    if (bindingType == BIND_LEXICAL) {
      Scope scope = currentScope();
      redeclared = scope.lexical.contains(name) || scope.functions.contains(name) || scope.vars.contains(name);
      scope.lexical.add(name);
      if (module && scope.has(Scope.TOP)) {
        undefinedExports.remove(name);
      }
    } else if (bindingType == BIND_SIMPLE_CATCH) {
      Scope scope = currentScope();
      scope.lexical.add(name);
      scope.simpleCatchName = name;
    } else if (bindingType == BIND_FUNCTION) {
      Scope scope = currentScope();
      redeclared = treatFunctionsAsVar()
          ? scope.lexical.contains(name)
          : scope.lexical.contains(name) || scope.vars.contains(name);
      scope.functions.add(name);
    } else {
      for (int i = scopeStack.size() - 1; i >= 0; i--) {
        Scope scope = scopeStack.get(i);
        if ((scope.lexical.contains(name) && !(scope.has(Scope.SIMPLE_CATCH) && name.equals(scope.simpleCatchName)))
            || (!treatFunctionsAsVarInScope(scope) && scope.functions.contains(name))) {
          redeclared = true;
          break;
        }
        scope.vars.add(name);
        if (module && scope.has(Scope.TOP)) {
          undefinedExports.remove(name);
        }
        if (scope.has(Scope.VAR)) {
          break;
        }
      }
    }
    if (redeclared) {
      throw error(at, "Identifier '" + name + "' has already been declared");
    }
  }

  // ---- identifiers

  final boolean isStrictReserved(String name) {
    return RESERVED_STRICT.contains(name);
  }

  final void checkUnreserved(int at, String name) {
    if (inGenerator() && name.equals("yield")) {
      throw error(at, "Cannot use 'yield' as identifier inside a generator");
    }
    if (inAsync() && name.equals("await")) {
      throw error(at, "Cannot use 'await' as identifier inside an async function");
    }
    if (currentThisScope().inClassFieldInit && name.equals("arguments")) {
      throw error(at, "Cannot use 'arguments' in class field initializer");
    }
    if (inClassStaticBlock() && (name.equals("arguments") || name.equals("await"))) {
      throw error(at, "Cannot use " + name + " in class static initialization block");
    }
    if (TokenType.keyword(name) != null) {
      throw error(at, "Unexpected keyword '" + name + "'");
    }
    if (name.equals("enum") || (module && name.equals("await")) || (strict && isStrictReserved(name))) {
      if (!inAsync() && name.equals("await")) {
        throw error(at, "Cannot use keyword 'await' outside an async function");
      }
      throw error(at, "The keyword '" + name + "' is reserved");
    }
  }

  final void checkUnreserved(Identifier id) {
    checkUnreserved(id.start(), id.name());
  }

  // ---- private names

  final PrivateNames enterClassBody() {
    PrivateNames names = new PrivateNames();
    privateNameStack.add(names);
    return names;
  }

  final void exitClassBody() {
    PrivateNames names = privateNameStack.remove(privateNameStack.size() - 1);
    PrivateNames parent = privateNameStack.isEmpty() ? null : privateNameStack.get(privateNameStack.size() - 1);
    for (PrivateIdentifier id : names.used) {
      if (!names.declared.containsKey(id.name())) {
        if (parent != null) {
          parent.used.add(id);
        } else {
          throw error(id.start(), "Private field '#" + id.name() + "' must be declared in an enclosing class");
        }
      }
    }
  }

  // ---- "use strict" look-ahead

  /** Whether the directive prologue starting at {@code from} contains "use strict". */
  final boolean strictDirective(int from) {
    int at = from;
    while (true) {
      at = skipWhiteSpaceFrom(at);
      char quote = charAt(at);
      if (quote != '"' && quote != '\'') {
        return false;
      }
      int close = at + 1;
      while (close < input.length() && input.charAt(close) != quote) {
        if (input.charAt(close) == '\\') {
          close++;
        } else if (CharClass.isNewLine(input.charAt(close))) {
          return false;
        }
        close++;
      }
      if (close >= input.length()) {
        return false;
      }
      if (input.substring(at + 1, close).equals("use strict")) {
        int after = skipWhiteSpaceFrom(close + 1);
        char next = charAt(after);
        return next == ';' || next == '}'
            || (hasLineBreak(close + 1, after)
                && !("(`.[+-/*%<>=,?^&".indexOf(next) >= 0 && next != 0
                    || (next == '!' && charAt(after + 1) == '=')))
            || after >= input.length();
      }
      at = skipWhiteSpaceFrom(close + 1);
      if (charAt(at) == ';') {
        at++;
      }
    }
  }
}
