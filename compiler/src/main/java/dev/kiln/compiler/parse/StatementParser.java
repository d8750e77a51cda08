package dev.kiln.compiler.parse;

import dev.kiln.compiler.ast.ArrayPattern;
import dev.kiln.compiler.ast.AssignmentPattern;
import dev.kiln.compiler.ast.BlockStatement;
import dev.kiln.compiler.ast.BreakStatement;
import dev.kiln.compiler.ast.CatchClause;
import dev.kiln.compiler.ast.ContinueStatement;
import dev.kiln.compiler.ast.DebuggerStatement;
import dev.kiln.compiler.ast.DoWhileStatement;
import dev.kiln.compiler.ast.EmptyStatement;
import dev.kiln.compiler.ast.ExpressionStatement;
import dev.kiln.compiler.ast.ForInStatement;
import dev.kiln.compiler.ast.ForOfStatement;
import dev.kiln.compiler.ast.ForStatement;
import dev.kiln.compiler.ast.FunctionDeclaration;
import dev.kiln.compiler.ast.FunctionExpression;
import dev.kiln.compiler.ast.Identifier;
import dev.kiln.compiler.ast.IfStatement;
import dev.kiln.compiler.ast.LabeledStatement;
import dev.kiln.compiler.ast.Literal;
import dev.kiln.compiler.ast.Node;
import dev.kiln.compiler.ast.ObjectPattern;
import dev.kiln.compiler.ast.Program;
import dev.kiln.compiler.ast.Property;
import dev.kiln.compiler.ast.RestElement;
import dev.kiln.compiler.ast.ReturnStatement;
import dev.kiln.compiler.ast.SwitchCase;
import dev.kiln.compiler.ast.SwitchStatement;
import dev.kiln.compiler.ast.ThrowStatement;
import dev.kiln.compiler.ast.TryStatement;
import dev.kiln.compiler.ast.VariableDeclaration;
import dev.kiln.compiler.ast.VariableDeclarator;
import dev.kiln.compiler.ast.WhileStatement;
import dev.kiln.compiler.ast.WithStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Statements, functions and the program; classes and modules are parsed by the subclasses. */
abstract class StatementParser extends ExpressionParser {
  static final int FUNC_STATEMENT = 1;
  static final int FUNC_HANGING_STATEMENT = 2;
  static final int FUNC_NULLABLE_ID = 4;

  StatementParser(String input, boolean module) {
    super(input, module);
  }

  abstract Node parseImport(int start);

  abstract Node parseExport(int start, Set<String> exports);

  abstract Node parseClassDeclarationStatement(int start);

  final Program parseTopLevel() {
    strict = module || strictDirective(pos);
    enterScope(Scope.TOP);
    readNextToken();
    List<Node> body = new ArrayList<>();
    Set<String> exports = new HashSet<>();
    while (type != TokenType.EOF) {
      body.add(parseStatement(null, true, exports));
    }
    for (Map.Entry<String, Node> undefined : undefinedExports.entrySet()) {
      throw error(undefined.getValue().start(), "Export '" + undefined.getKey() + "' is not defined");
    }
    adaptDirectivePrologue(body);
    return new Program(0, input.length(), body, module ? "module" : "script", lineTable(), comments);
  }

  // ---- statements

  final Node parseStatement(String context, boolean topLevel, Set<String> exports) {
    enterNesting();
    try {
      return parseStatementNested(context, topLevel, exports);
    } finally {
      exitNesting();
    }
  }

  private Node parseStatementNested(String context, boolean topLevel, Set<String> exports) {
    TokenType startType = type;
    int start = this.start;
    String kind = null;
    if (isLet(context)) {
      startType = TokenType.K_VAR;
      kind = "let";
    }
    switch (startType) {
      case K_BREAK, K_CONTINUE -> {
        return parseBreakContinue(start, startType == TokenType.K_BREAK);
      }
      case K_DEBUGGER -> {
        next();
        semicolon();
        return new DebuggerStatement(start, lastTokEnd);
      }
      case K_DO -> {
        return parseDoStatement(start);
      }
      case K_FOR -> {
        return parseForStatement(start);
      }
      case K_FUNCTION -> {
        if (context != null && (strict || (!context.equals("if") && !context.equals("label")))) {
          throw unexpected();
        }
        next();
        return parseFunction(start, FUNC_STATEMENT | (context == null ? 0 : FUNC_HANGING_STATEMENT), false, false);
      }
      case K_CLASS -> {
        if (context != null) {
          throw unexpected();
        }
        return parseClassDeclarationStatement(start);
      }
      case K_IF -> {
        next();
        Node test = parseParenExpression();
        Node consequent = parseStatement("if", false, null);
        Node alternate = eat(TokenType.K_ELSE) ? parseStatement("if", false, null) : null;
        return new IfStatement(start, lastTokEnd, test, consequent, alternate);
      }
      case K_RETURN -> {
        return parseReturn(start);
      }
      case K_SWITCH -> {
        return parseSwitch(start);
      }
      case K_THROW -> {
        next();
        if (hasLineBreak(lastTokEnd, this.start)) {
          throw error(lastTokEnd, "Illegal newline after throw");
        }
        Node argument = parseExpression();
        semicolon();
        return new ThrowStatement(start, lastTokEnd, argument);
      }
      case K_TRY -> {
        return parseTry(start);
      }
      case K_CONST, K_VAR -> {
        String declarationKind = kind != null ? kind : type.label;
        if (context != null && !declarationKind.equals("var")) {
          throw unexpected();
        }
        next();
        VariableDeclaration declaration = parseVar(start, false, declarationKind);
        semicolon();
        return withEnd(declaration, lastTokEnd);
      }
      case K_WHILE -> {
        next();
        Node test = parseParenExpression();
        labels.add(new Label(null, "loop", -1));
        Node body = parseStatement("while", false, null);
        labels.remove(labels.size() - 1);
        return new WhileStatement(start, lastTokEnd, test, body);
      }
      case K_WITH -> {
        if (strict) {
          throw error(start, "'with' in strict mode");
        }
        next();
        Node object = parseParenExpression();
        Node body = parseStatement("with", false, null);
        return new WithStatement(start, lastTokEnd, object, body);
      }
      case BRACE_L -> {
        return parseBlock(true, false);
      }
      case SEMI -> {
        next();
        return new EmptyStatement(start, lastTokEnd);
      }
      case K_EXPORT, K_IMPORT -> {
        if (startType == TokenType.K_IMPORT) {
          int after = skipWhiteSpaceFrom(pos);
          char next = charAt(after);
          if (next == '(' || next == '.') {
            return parseExpressionStatement(start, parseExpression());
          }
        }
        if (!topLevel) {
          throw error(start, "'import' and 'export' may only appear at the top level");
        }
        if (!module) {
          throw error(start, "'import' and 'export' may appear only with 'sourceType: module'");
        }
        return startType == TokenType.K_IMPORT ? parseImport(start) : parseExport(start, exports);
      }
      default -> {
        if (isAsyncFunction()) {
          if (context != null) {
            throw unexpected();
          }
          next();
          next();
          return parseFunction(start, FUNC_STATEMENT | (context == null ? 0 : FUNC_HANGING_STATEMENT), true, false);
        }
        Object maybeName = value;
        Node expr = parseExpression();
        if (startType == TokenType.NAME && expr instanceof Identifier label && eat(TokenType.COLON)) {
          return parseLabeledStatement(start, (String) maybeName, label, context);
        }
        return parseExpressionStatement(start, expr);
      }
    }
  }

  private static VariableDeclaration withEnd(VariableDeclaration declaration, int end) {
    return new VariableDeclaration(declaration.start(), end, declaration.declarations(), declaration.kind());
  }

  private ExpressionStatement parseExpressionStatement(int start, Node expr) {
    semicolon();
    return new ExpressionStatement(start, lastTokEnd, expr, null);
  }

  final Node parseParenExpression() {
    expect(TokenType.PAREN_L);
    Node expr = parseExpression();
    expect(TokenType.PAREN_R);
    return expr;
  }

  /** {@code let} starting a declaration (rather than an identifier named let). */
  final boolean isLet(String context) {
    if (!isContextual("let")) {
      return false;
    }
    int next = skipWhiteSpaceFrom(pos);
    char c = charAt(next);
    if (c == '[' || c == '\\') {
      return true;
    }
    if (context != null) {
      return false;
    }
    if (c == '{' || Character.isHighSurrogate(c)) {
      return true;
    }
    if (next < input.length() && CharClass.isIdentifierStart(c)) {
      int end = next + 1;
      while (end < input.length() && CharClass.isIdentifierChar(input.charAt(end))) {
        end++;
      }
      char after = charAt(end);
      if (after == '\\' || Character.isHighSurrogate(after)) {
        return true;
      }
      String word = input.substring(next, end);
      return !word.equals("in") && !word.equals("instanceof");
    }
    return false;
  }

  final boolean isAsyncFunction() {
    if (!isContextual("async")) {
      return false;
    }
    int next = skipWhiteSpaceFrom(pos);
    if (hasLineBreak(pos, next) || !input.startsWith("function", next)) {
      return false;
    }
    int after = next + 8;
    return after >= input.length()
        || !(CharClass.isIdentifierChar(input.charAt(after)) || Character.isHighSurrogate(input.charAt(after)));
  }

  private Node parseBreakContinue(int start, boolean isBreak) {
    next();
    Identifier label = null;
    if (!eat(TokenType.SEMI) && !canInsertSemicolon()) {
      if (type != TokenType.NAME) {
        throw unexpected();
      }
      label = parseIdent(false);
      semicolon();
    }
    boolean found = false;
    for (Label candidate : labels) {
      if (label == null || label.name().equals(candidate.name)) {
        if (candidate.kind != null && (isBreak || candidate.kind.equals("loop"))) {
          found = true;
          break;
        }
        if (label != null && isBreak) {
          found = true;
          break;
        }
      }
    }
    if (!found) {
      throw error(start, "Unsyntactic " + (isBreak ? "break" : "continue"));
    }
    return isBreak ? new BreakStatement(start, lastTokEnd, label) : new ContinueStatement(start, lastTokEnd, label);
  }

  private Node parseDoStatement(int start) {
    next();
    labels.add(new Label(null, "loop", -1));
    Node body = parseStatement("do", false, null);
    labels.remove(labels.size() - 1);
    expect(TokenType.K_WHILE);
    Node test = parseParenExpression();
    eat(TokenType.SEMI);
    return new DoWhileStatement(start, lastTokEnd, body, test);
  }

  private Node parseForStatement(int start) {
    next();
    int awaitAt = canAwait() && eatContextual("await") ? lastTokStart : -1;
    labels.add(new Label(null, "loop", -1));
    enterScope(0);
    expect(TokenType.PAREN_L);
    if (type == TokenType.SEMI) {
      if (awaitAt > -1) {
        throw unexpected(awaitAt);
      }
      return parseFor(start, null);
    }
    boolean isLet = isLet(null);
    if (type == TokenType.K_VAR || type == TokenType.K_CONST || isLet) {
      int initStart = this.start;
      String kind = isLet ? "let" : type.label;
      next();
      VariableDeclaration init = parseVar(initStart, true, kind);
      if ((type == TokenType.K_IN || isContextual("of")) && init.declarations().size() == 1) {
        boolean isAwait = false;
        if (type == TokenType.K_IN) {
          if (awaitAt > -1) {
            throw unexpected(awaitAt);
          }
        } else {
          isAwait = awaitAt > -1;
          if (kind.equals("var")) {
            checkNoCatchParameterRedeclared(init.declarations().get(0).id());
          }
        }
        return parseForIn(start, init, isAwait);
      }
      if (awaitAt > -1) {
        throw unexpected(awaitAt);
      }
      return parseFor(start, init);
    }
    boolean startsWithLet = isContextual("let");
    boolean isForOf = false;
    boolean escaped = containsEsc;
    DestructuringErrors refErrors = new DestructuringErrors();
    int initPos = this.start;
    Node init;
    if (awaitAt > -1) {
      potentialArrowInForAwait = true;
      init = parseExprSubscripts(refErrors, true);
    } else {
      init = parseExpression(true, refErrors);
    }
    if (type == TokenType.K_IN || (isForOf = isContextual("of"))) {
      boolean isAwait = false;
      if (awaitAt > -1) {
        if (type == TokenType.K_IN) {
          throw unexpected(awaitAt);
        }
        isAwait = true;
      } else if (isForOf && init.start() == initPos && !escaped
          && init instanceof Identifier id && id.name().equals("async")) {
        throw unexpected();
      }
      if (startsWithLet && isForOf) {
        throw error(init.start(), "The left-hand side of a for-of loop may not start with 'let'.");
      }
      Node target = toAssignable(init, false, refErrors);
      checkLValPattern(target);
      return parseForIn(start, target, isAwait);
    }
    checkExpressionErrors(refErrors, true);
    if (awaitAt > -1) {
      throw unexpected(awaitAt);
    }
    return parseFor(start, init);
  }

  /** {@code catch (e) { for (var e of ...) }} is an early error (the annex B allowance excludes for-of). */
  private void checkNoCatchParameterRedeclared(Node pattern) {
    if (!(pattern instanceof Identifier id)) {
      return;
    }
    for (int i = scopeStack.size() - 1; i >= 0; i--) {
      Scope scope = scopeStack.get(i);
      if (scope.has(Scope.SIMPLE_CATCH) && id.name().equals(scope.simpleCatchName)) {
        throw error(id.start(), "Identifier '" + id.name() + "' has already been declared");
      }
      if (scope.has(Scope.VAR)) {
        return;
      }
    }
  }

  private Node parseFor(int start, Node init) {
    expect(TokenType.SEMI);
    Node test = type == TokenType.SEMI ? null : parseExpression();
    expect(TokenType.SEMI);
    Node update = type == TokenType.PAREN_R ? null : parseExpression();
    expect(TokenType.PAREN_R);
    Node body = parseStatement("for", false, null);
    exitScope();
    labels.remove(labels.size() - 1);
    return new ForStatement(start, lastTokEnd, init, test, update, body);
  }

  private Node parseForIn(int start, Node init, boolean isAwait) {
    boolean isForIn = type == TokenType.K_IN;
    next();
    if (init instanceof VariableDeclaration declaration && declaration.declarations().get(0).init() != null
        && (!isForIn || strict || !declaration.kind().equals("var")
            || !(declaration.declarations().get(0).id() instanceof Identifier))) {
      throw error(init.start(), (isForIn ? "for-in" : "for-of") + " loop variable declaration may not have an initializer");
    }
    Node right = isForIn ? parseExpression() : parseMaybeAssign();
    expect(TokenType.PAREN_R);
    Node body = parseStatement("for", false, null);
    exitScope();
    labels.remove(labels.size() - 1);
    return isForIn
        ? new ForInStatement(start, lastTokEnd, init, right, body)
        : new ForOfStatement(start, lastTokEnd, init, right, body, isAwait);
  }

  final VariableDeclaration parseVar(int start, boolean isFor, String kind) {
    List<VariableDeclarator> declarations = new ArrayList<>();
    while (true) {
      int declStart = this.start;
      Node id = parseBindingAtom();
      checkLValPattern(id, kind.equals("var") ? BIND_VAR : BIND_LEXICAL, null);
      Node init = null;
      if (eat(TokenType.EQ)) {
        init = parseMaybeAssign(isFor, null);
      } else if (kind.equals("const") && !(type == TokenType.K_IN || isContextual("of"))) {
        throw unexpected();
      } else if (!(id instanceof Identifier) && !(isFor && (type == TokenType.K_IN || isContextual("of")))) {
        throw error(lastTokEnd, "Complex binding patterns require an initialization value");
      }
      declarations.add(new VariableDeclarator(declStart, lastTokEnd, id, init));
      if (!eat(TokenType.COMMA)) {
        break;
      }
    }
    return new VariableDeclaration(start, lastTokEnd, declarations, kind);
  }

  private Node parseReturn(int start) {
    if (!inFunction()) {
      throw error(start, "'return' outside of function");
    }
    next();
    Node argument = null;
    if (!eat(TokenType.SEMI) && !canInsertSemicolon()) {
      argument = parseExpression();
      semicolon();
    }
    return new ReturnStatement(start, lastTokEnd, argument);
  }

  private Node parseSwitch(int start) {
    next();
    Node discriminant = parseParenExpression();
    List<SwitchCase> cases = new ArrayList<>();
    expect(TokenType.BRACE_L);
    labels.add(new Label(null, "switch", -1));
    enterScope(0);
    boolean sawDefault = false;
    int caseStart = -1;
    Node test = null;
    List<Node> consequent = null;
    while (type != TokenType.BRACE_R) {
      if (type == TokenType.K_CASE || type == TokenType.K_DEFAULT) {
        boolean isCase = type == TokenType.K_CASE;
        if (consequent != null) {
          cases.add(new SwitchCase(caseStart, lastTokEnd, test, consequent));
        }
        caseStart = this.start;
        consequent = new ArrayList<>();
        next();
        if (isCase) {
          test = parseExpression();
        } else {
          if (sawDefault) {
            throw error(lastTokStart, "Multiple default clauses");
          }
          sawDefault = true;
          test = null;
        }
        expect(TokenType.COLON);
      } else {
        if (consequent == null) {
          throw unexpected();
        }
        consequent.add(parseStatement(null, false, null));
      }
    }
    exitScope();
    if (consequent != null) {
      cases.add(new SwitchCase(caseStart, lastTokEnd, test, consequent));
    }
    next();
    labels.remove(labels.size() - 1);
    return new SwitchStatement(start, lastTokEnd, discriminant, cases);
  }

  private Node parseTry(int start) {
    next();
    BlockStatement block = parseBlock(true, false);
    CatchClause handler = null;
    if (type == TokenType.K_CATCH) {
      int clauseStart = this.start;
      next();
      Node param = null;
      if (eat(TokenType.PAREN_L)) {
        param = parseBindingAtom();
        boolean simple = param instanceof Identifier;
        enterScope(simple ? Scope.SIMPLE_CATCH : 0);
        checkLValPattern(param, simple ? BIND_SIMPLE_CATCH : BIND_LEXICAL, null);
        expect(TokenType.PAREN_R);
      } else {
        enterScope(0);
      }
      BlockStatement body = parseBlock(false, false);
      exitScope();
      handler = new CatchClause(clauseStart, lastTokEnd, param, body);
    }
    BlockStatement finalizer = eat(TokenType.K_FINALLY) ? parseBlock(true, false) : null;
    if (handler == null && finalizer == null) {
      throw error(start, "Missing catch or finally clause");
    }
    return new TryStatement(start, lastTokEnd, block, handler, finalizer);
  }

  private Node parseLabeledStatement(int start, String name, Identifier label, String context) {
    for (Label existing : labels) {
      if (name.equals(existing.name)) {
        throw error(label.start(), "Label '" + name + "' is already declared");
      }
    }
    String kind = type.isLoop() ? "loop" : type == TokenType.K_SWITCH ? "switch" : null;
    for (int i = labels.size() - 1; i >= 0; i--) {
      Label existing = labels.get(i);
      if (existing.statementStart == start) {
        existing.statementStart = this.start;
        existing.kind = kind;
      } else {
        break;
      }
    }
    labels.add(new Label(name, kind, this.start));
    String bodyContext = context == null ? "label" : context.contains("label") ? context : context + "label";
    Node body = parseStatement(bodyContext, false, null);
    labels.remove(labels.size() - 1);
    return new LabeledStatement(start, lastTokEnd, label, body);
  }

  final BlockStatement parseBlock(boolean createNewLexicalScope, boolean exitStrict) {
    int start = this.start;
    expect(TokenType.BRACE_L);
    if (createNewLexicalScope) {
      enterScope(0);
    }
    List<Node> body = new ArrayList<>();
    while (type != TokenType.BRACE_R) {
      if (type == TokenType.EOF) {
        throw unexpected();
      }
      body.add(parseStatement(null, false, null));
    }
    if (exitStrict) {
      strict = false;
    }
    next();
    if (createNewLexicalScope) {
      exitScope();
    }
    return new BlockStatement(start, lastTokEnd, body);
  }

  /** Marks the leading string-literal statements of a body as directives. */
  final void adaptDirectivePrologue(List<Node> statements) {
    for (int i = 0; i < statements.size(); i++) {
      if (!(statements.get(i) instanceof ExpressionStatement statement)
          || !(statement.expression() instanceof Literal literal)
          || !(literal.value() instanceof String)) {
        return;
      }
      char first = input.charAt(statement.start());
      if (first != '"' && first != '\'') {
        return;
      }
      String raw = literal.raw();
      statements.set(i, new ExpressionStatement(statement.start(), statement.end(), literal,
          raw.substring(1, raw.length() - 1)));
    }
  }

  // ---- functions

  @Override
  final Node parseFunction(int start, int statementFlags, boolean isAsync, boolean forInit) {
    if (type == TokenType.STAR && (statementFlags & FUNC_HANGING_STATEMENT) != 0) {
      throw unexpected();
    }
    boolean generator = eat(TokenType.STAR);
    Identifier id = null;
    if ((statementFlags & FUNC_STATEMENT) != 0) {
      id = (statementFlags & FUNC_NULLABLE_ID) != 0 && type != TokenType.NAME ? null : parseIdent(false);
      if (id != null && (statementFlags & FUNC_HANGING_STATEMENT) == 0) {
        int binding = (strict || generator || isAsync)
            ? (treatFunctionsAsVar() ? BIND_VAR : BIND_LEXICAL)
            : BIND_FUNCTION;
        checkLValSimple(id, binding, null);
      }
    }
    int oldYieldPos = yieldPos;
    int oldAwaitPos = awaitPos;
    int oldAwaitIdentPos = awaitIdentPos;
    yieldPos = 0;
    awaitPos = 0;
    awaitIdentPos = 0;
    enterScope(Scope.functionFlags(isAsync, generator));
    if ((statementFlags & FUNC_STATEMENT) == 0 && type == TokenType.NAME) {
      id = parseIdent(false);
    }
    expect(TokenType.PAREN_L);
    List<Node> params = parseBindingList(TokenType.PAREN_R, false, true);
    checkYieldAwaitInDefaultParams();
    FunctionBody body = parseFunctionBody(start, id, params, false, false, forInit);
    yieldPos = oldYieldPos;
    awaitPos = oldAwaitPos;
    awaitIdentPos = oldAwaitIdentPos;
    BlockStatement block = (BlockStatement) body.body();
    return (statementFlags & FUNC_STATEMENT) != 0
        ? new FunctionDeclaration(start, lastTokEnd, id, params, block, generator, isAsync)
        : new FunctionExpression(start, lastTokEnd, id, params, block, generator, isAsync);
  }

  @Override
  final FunctionBody parseFunctionBody(int functionStart, Identifier id, List<Node> params,
      boolean isArrow, boolean isMethod, boolean forInit) {
    FunctionBody result;
    if (isArrow && type != TokenType.BRACE_L) {
      Node body = parseMaybeAssign(forInit, null);
      checkParams(params, false);
      result = new FunctionBody(body, true);
    } else {
      boolean oldStrict = strict;
      boolean useStrict = false;
      boolean nonSimple = !isSimpleParamList(params);
      if (!oldStrict || nonSimple) {
        useStrict = strictDirective(end);
        if (useStrict && nonSimple) {
          throw error(functionStart, "Illegal 'use strict' directive in function with non-simple parameter list");
        }
      }
      List<Label> oldLabels = labels;
      labels = new ArrayList<>();
      if (useStrict) {
        strict = true;
      }
      checkParams(params, !oldStrict && !useStrict && !isArrow && !isMethod && !nonSimple);
      if (strict && id != null) {
        checkLValSimple(id, BIND_OUTSIDE, null);
      }
      BlockStatement block = parseBlock(false, useStrict && !oldStrict);
      List<Node> statements = new ArrayList<>(block.body());
      adaptDirectivePrologue(statements);
      labels = oldLabels;
      result = new FunctionBody(new BlockStatement(block.start(), block.end(), statements), false);
    }
    exitScope();
    return result;
  }

  // ---- exports helpers used by the module part

  final void checkExport(Set<String> exports, String name, int at) {
    if (exports == null) {
      return;
    }
    if (!exports.add(name)) {
      throw error(at, "Duplicate export '" + name + "'");
    }
  }

  final void checkPatternExport(Set<String> exports, Node pattern) {
    switch (pattern) {
      case Identifier id -> checkExport(exports, id.name(), id.start());
      case ObjectPattern object -> object.properties().forEach(prop -> checkPatternExport(exports, prop));
      case ArrayPattern array -> array.elements().forEach(element -> {
        if (element != null) {
          checkPatternExport(exports, element);
        }
      });
      case Property prop -> checkPatternExport(exports, prop.value());
      case AssignmentPattern assign -> checkPatternExport(exports, assign.left());
      case RestElement rest -> checkPatternExport(exports, rest.argument());
      default -> {}
    }
  }

}
