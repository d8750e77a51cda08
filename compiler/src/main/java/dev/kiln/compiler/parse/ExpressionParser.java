package dev.kiln.compiler.parse;

import dev.kiln.compiler.ast.ArrayExpression;
import dev.kiln.compiler.ast.ArrowFunctionExpression;
import dev.kiln.compiler.ast.AssignmentExpression;
import dev.kiln.compiler.ast.AwaitExpression;
import dev.kiln.compiler.ast.BinaryExpression;
import dev.kiln.compiler.ast.BlockStatement;
import dev.kiln.compiler.ast.CallExpression;
import dev.kiln.compiler.ast.ChainExpression;
import dev.kiln.compiler.ast.ConditionalExpression;
import dev.kiln.compiler.ast.FunctionExpression;
import dev.kiln.compiler.ast.Identifier;
import dev.kiln.compiler.ast.ImportExpression;
import dev.kiln.compiler.ast.Literal;
import dev.kiln.compiler.ast.LogicalExpression;
import dev.kiln.compiler.ast.MemberExpression;
import dev.kiln.compiler.ast.MetaProperty;
import dev.kiln.compiler.ast.NewExpression;
import dev.kiln.compiler.ast.Node;
import dev.kiln.compiler.ast.ObjectExpression;
import dev.kiln.compiler.ast.ObjectPattern;
import dev.kiln.compiler.ast.PrivateIdentifier;
import dev.kiln.compiler.ast.Property;
import dev.kiln.compiler.ast.PureLiteral;
import dev.kiln.compiler.ast.RestElement;
import dev.kiln.compiler.ast.SequenceExpression;
import dev.kiln.compiler.ast.SpreadElement;
import dev.kiln.compiler.ast.Super;
import dev.kiln.compiler.ast.TaggedTemplateExpression;
import dev.kiln.compiler.ast.TemplateElement;
import dev.kiln.compiler.ast.TemplateLiteral;
import dev.kiln.compiler.ast.ThisExpression;
import dev.kiln.compiler.ast.UnaryExpression;
import dev.kiln.compiler.ast.UpdateExpression;
import dev.kiln.compiler.ast.YieldExpression;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Expressions, by precedence climbing, with acorn's cover-grammar bookkeeping. */
abstract class ExpressionParser extends PatternParser {
  final PureLiteralScanner pureLiterals;

  ExpressionParser(String input, boolean module) {
    super(input, module);
    pureLiterals = new PureLiteralScanner(this);
  }

  /** Result of parsing a function or method body. */
  record FunctionBody(Node body, boolean expression) {}

  abstract FunctionBody parseFunctionBody(int functionStart, Identifier id, List<Node> params,
      boolean isArrow, boolean isMethod, boolean forInit);

  abstract Node parseFunction(int start, int statementFlags, boolean isAsync, boolean forInit);

  abstract Node parseClass(int start, boolean isStatement, boolean nullableId);

  // ---- sequences and assignment

  final Node parseExpression() {
    return parseExpression(false, null);
  }

  final Node parseExpression(boolean forInit, DestructuringErrors refErrors) {
    int start = this.start;
    Node expr = parseMaybeAssign(forInit, refErrors);
    if (type != TokenType.COMMA) {
      return expr;
    }
    List<Node> expressions = new ArrayList<>();
    expressions.add(expr);
    while (eat(TokenType.COMMA)) {
      expressions.add(parseMaybeAssign(forInit, refErrors));
    }
    return new SequenceExpression(start, lastTokEnd, expressions);
  }

  final Node parseMaybeAssign() {
    return parseMaybeAssign(false, null);
  }

  @Override
  final Node parseMaybeAssign(boolean forInit, DestructuringErrors refErrors) {
    enterNesting();
    try {
      return parseMaybeAssignNested(forInit, refErrors);
    } finally {
      exitNesting();
    }
  }

  private Node parseMaybeAssignNested(boolean forInit, DestructuringErrors refErrors) {
    if (isContextual("yield") && inGenerator()) {
      return parseYield(forInit);
    }
    boolean ownErrors = false;
    int oldParenAssign = -1;
    int oldTrailingComma = -1;
    int oldDoubleProto = -1;
    if (refErrors != null) {
      oldParenAssign = refErrors.parenthesizedAssign;
      oldTrailingComma = refErrors.trailingComma;
      oldDoubleProto = refErrors.doubleProto;
      refErrors.parenthesizedAssign = refErrors.trailingComma = -1;
    } else {
      refErrors = new DestructuringErrors();
      ownErrors = true;
    }
    int start = this.start;
    if (type == TokenType.PAREN_L || type == TokenType.NAME) {
      potentialArrowAt = start;
      potentialArrowInForAwait = false;
    }
    Node left = parseMaybeConditional(forInit, refErrors);
    if (type.isAssign) {
      String operator = (String) value;
      if (type == TokenType.EQ) {
        left = toAssignable(left, false, refErrors);
      }
      if (!ownErrors) {
        refErrors.parenthesizedAssign = refErrors.trailingComma = refErrors.doubleProto = -1;
      }
      if (refErrors.shorthandAssign >= left.start()) {
        refErrors.shorthandAssign = -1;
      }
      if (type == TokenType.EQ) {
        checkLValPattern(left);
      } else {
        checkLValSimple(left);
      }
      next();
      Node right = parseMaybeAssign(forInit, null);
      if (oldDoubleProto > -1) {
        refErrors.doubleProto = oldDoubleProto;
      }
      return new AssignmentExpression(start, lastTokEnd, operator, left, right);
    } else if (ownErrors) {
      checkExpressionErrors(refErrors, true);
    }
    if (oldParenAssign > -1) {
      refErrors.parenthesizedAssign = oldParenAssign;
    }
    if (oldTrailingComma > -1) {
      refErrors.trailingComma = oldTrailingComma;
    }
    return left;
  }

  private Node parseMaybeConditional(boolean forInit, DestructuringErrors refErrors) {
    int start = this.start;
    Node expr = parseExprOps(forInit, refErrors);
    if (checkExpressionErrors(refErrors, false)) {
      return expr;
    }
    if (eat(TokenType.QUESTION)) {
      Node consequent = parseMaybeAssign(false, null);
      expect(TokenType.COLON);
      Node alternate = parseMaybeAssign(forInit, null);
      return new ConditionalExpression(start, lastTokEnd, expr, consequent, alternate);
    }
    return expr;
  }

  private Node parseExprOps(boolean forInit, DestructuringErrors refErrors) {
    int start = this.start;
    Node expr = parseMaybeUnary(refErrors, false, false, forInit);
    if (checkExpressionErrors(refErrors, false)) {
      return expr;
    }
    if (expr.start() == start && expr instanceof ArrowFunctionExpression) {
      return expr;
    }
    return parseExprOp(expr, start, -1, forInit);
  }

  /** Binary operators above {@code minPrec}; a loop for left-associative chains. */
  private Node parseExprOp(Node left, int leftStart, int minPrec, boolean forInit) {
    while (true) {
      int prec = type.binop;
      if (prec < 0 || (forInit && type == TokenType.K_IN)) {
        return left;
      }
      if (prec <= minPrec) {
        return left;
      }
      boolean logical = type == TokenType.LOGICAL_OR || type == TokenType.LOGICAL_AND;
      boolean coalesce = type == TokenType.COALESCE;
      if (coalesce) {
        prec = TokenType.LOGICAL_AND.binop;
      }
      String operator = type.isKeyword() ? type.label : (String) value;
      next();
      int rightStart = this.start;
      Node right = parseExprOp(parseMaybeUnary(null, false, false, forInit), rightStart, prec, forInit);
      left = buildBinary(leftStart, left, right, operator, logical || coalesce);
      if ((logical && type == TokenType.COALESCE)
          || (coalesce && (type == TokenType.LOGICAL_OR || type == TokenType.LOGICAL_AND))) {
        throw error(start, "Logical expressions and coalesce expressions cannot be mixed. Wrap either by parentheses");
      }
    }
  }

  private Node buildBinary(int start, Node left, Node right, String operator, boolean logical) {
    if (right instanceof PrivateIdentifier) {
      throw error(right.start(), "Private identifier can only be left side of binary expression");
    }
    return logical
        ? new LogicalExpression(start, lastTokEnd, left, operator, right)
        : new BinaryExpression(start, lastTokEnd, left, operator, right);
  }

  // ---- unary

  final Node parseMaybeUnary(DestructuringErrors refErrors, boolean sawUnary, boolean incDec, boolean forInit) {
    int start = this.start;
    Node expr;
    if (isContextual("await") && canAwait()) {
      expr = parseAwait(forInit);
      sawUnary = true;
    } else if (type == TokenType.INC_DEC || type == TokenType.PREFIX || type == TokenType.PLUS_MIN
        || type == TokenType.K_TYPEOF || type == TokenType.K_VOID || type == TokenType.K_DELETE) {
      boolean update = type == TokenType.INC_DEC;
      String operator = type.isKeyword() ? type.label : (String) value;
      next();
      enterNesting();
      Node argument = parseMaybeUnary(null, true, update, forInit);
      exitNesting();
      checkExpressionErrors(refErrors, true);
      if (update) {
        checkLValSimple(argument);
      } else if (strict && operator.equals("delete") && argument instanceof Identifier) {
        throw error(start, "Deleting local variable in strict mode");
      } else if (operator.equals("delete") && isPrivateFieldAccess(argument)) {
        throw error(start, "Private fields can not be deleted");
      } else {
        sawUnary = true;
      }
      expr = update
          ? new UpdateExpression(start, lastTokEnd, operator, true, argument)
          : new UnaryExpression(start, lastTokEnd, operator, argument);
    } else if (!sawUnary && type == TokenType.PRIVATE_ID) {
      if (forInit || privateNameStack.isEmpty()) {
        throw unexpected();
      }
      expr = parsePrivateIdent();
      if (type != TokenType.K_IN) {
        throw unexpected();
      }
    } else {
      expr = parseExprSubscripts(refErrors, forInit);
      if (checkExpressionErrors(refErrors, false)) {
        return expr;
      }
      while (type == TokenType.INC_DEC && !canInsertSemicolon()) {
        checkLValSimple(expr);
        String operator = (String) value;
        next();
        expr = new UpdateExpression(start, lastTokEnd, operator, false, expr);
      }
    }
    if (!incDec && type == TokenType.STARSTAR) {
      if (sawUnary) {
        throw unexpected(start);
      }
      next();
      Node right = parseMaybeUnary(null, false, false, forInit);
      return buildBinary(start, expr, right, "**", false);
    }
    return expr;
  }

  private static boolean isPrivateFieldAccess(Node node) {
    return (node instanceof MemberExpression member && member.property() instanceof PrivateIdentifier)
        || (node instanceof ChainExpression chain && isPrivateFieldAccess(chain.expression()));
  }

  // ---- calls, members, templates

  final Node parseExprSubscripts(DestructuringErrors refErrors, boolean forInit) {
    int start = this.start;
    Node expr = parseExprAtom(refErrors, forInit, false);
    if (expr instanceof ArrowFunctionExpression && charAt(lastTokEnd - 1) != ')') {
      return expr;
    }
    Node result = parseSubscripts(expr, start, false, forInit);
    if (refErrors != null && result instanceof MemberExpression) {
      if (refErrors.parenthesizedAssign >= result.start()) {
        refErrors.parenthesizedAssign = -1;
      }
      if (refErrors.parenthesizedBind >= result.start()) {
        refErrors.parenthesizedBind = -1;
      }
      if (refErrors.trailingComma >= result.start()) {
        refErrors.trailingComma = -1;
      }
    }
    return result;
  }

  private Node parseSubscripts(Node base, int start, boolean noCalls, boolean forInit) {
    boolean maybeAsyncArrow = base instanceof Identifier id && id.name().equals("async")
        && lastTokEnd == base.end() && !canInsertSemicolon() && base.end() - base.start() == 5
        && potentialArrowAt == base.start();
    boolean optionalChained = false;
    while (true) {
      Node element = parseSubscript(base, start, noCalls, maybeAsyncArrow, optionalChained, forInit);
      if (isOptional(element)) {
        optionalChained = true;
      }
      if (element == base || element instanceof ArrowFunctionExpression) {
        if (optionalChained) {
          return new ChainExpression(start, element.end(), element);
        }
        return element;
      }
      base = element;
    }
  }

  private static boolean isOptional(Node node) {
    return (node instanceof MemberExpression member && member.optional())
        || (node instanceof CallExpression call && call.optional());
  }

  private Node parseSubscript(Node base, int start, boolean noCalls, boolean maybeAsyncArrow,
      boolean optionalChained, boolean forInit) {
    boolean optional = eat(TokenType.QUESTION_DOT);
    if (noCalls && optional) {
      throw error(lastTokStart, "Optional chaining cannot appear in the callee of new expressions");
    }
    boolean computed = eat(TokenType.BRACKET_L);
    if (computed || (optional && type != TokenType.PAREN_L && type != TokenType.BACK_QUOTE) || eat(TokenType.DOT)) {
      Node property;
      if (computed) {
        property = parseExpression();
        expect(TokenType.BRACKET_R);
      } else if (type == TokenType.PRIVATE_ID && !(base instanceof Super)) {
        property = parsePrivateIdent();
      } else {
        property = parseIdent(true);
      }
      return new MemberExpression(start, lastTokEnd, base, property, computed, optional);
    }
    if (!noCalls && eat(TokenType.PAREN_L)) {
      DestructuringErrors refErrors = new DestructuringErrors();
      int oldYieldPos = yieldPos;
      int oldAwaitPos = awaitPos;
      int oldAwaitIdentPos = awaitIdentPos;
      yieldPos = 0;
      awaitPos = 0;
      awaitIdentPos = 0;
      List<Node> arguments = parseExprList(TokenType.PAREN_R, true, false, refErrors);
      if (maybeAsyncArrow && !optional && !canInsertSemicolon() && eat(TokenType.ARROW)) {
        checkPatternErrors(refErrors, false);
        checkYieldAwaitInDefaultParams();
        if (awaitIdentPos > 0) {
          throw error(awaitIdentPos, "Cannot use 'await' as identifier inside an async function");
        }
        yieldPos = oldYieldPos;
        awaitPos = oldAwaitPos;
        awaitIdentPos = oldAwaitIdentPos;
        return parseArrowExpression(start, arguments, true, forInit);
      }
      checkExpressionErrors(refErrors, true);
      yieldPos = oldYieldPos != 0 ? oldYieldPos : yieldPos;
      awaitPos = oldAwaitPos != 0 ? oldAwaitPos : awaitPos;
      awaitIdentPos = oldAwaitIdentPos != 0 ? oldAwaitIdentPos : awaitIdentPos;
      return new CallExpression(start, lastTokEnd, base, arguments, optional);
    }
    if (type == TokenType.BACK_QUOTE) {
      if (optional || optionalChained) {
        throw error(start, "Optional chaining cannot appear in the tag of tagged template expressions");
      }
      TemplateLiteral quasi = parseTemplate(true);
      return new TaggedTemplateExpression(start, lastTokEnd, base, quasi);
    }
    return base;
  }

  final void checkYieldAwaitInDefaultParams() {
    if (yieldPos != 0 && (awaitPos == 0 || yieldPos < awaitPos)) {
      throw error(yieldPos, "Yield expression cannot be a default value");
    }
    if (awaitPos != 0) {
      throw error(awaitPos, "Await expression cannot be a default value");
    }
  }

  // ---- atoms

  final Node parseExprAtom(DestructuringErrors refErrors, boolean forInit, boolean forNew) {
    if (isSlash()) {
      readRegexp();
    }
    boolean canBeArrow = potentialArrowAt == start;
    int start = this.start;
    switch (type) {
      case K_SUPER -> {
        if (!allowSuper()) {
          throw error(start, "'super' keyword outside a method");
        }
        next();
        if (type == TokenType.PAREN_L && forNew) {
          throw error(start, "Invalid use of 'super'"); // new super() is not a thing; new super.x() is
        }
        if (type == TokenType.PAREN_L && !allowDirectSuper()) {
          throw error(start, "super() call outside constructor of a subclass");
        }
        if (type != TokenType.DOT && type != TokenType.BRACKET_L && type != TokenType.PAREN_L) {
          throw unexpected();
        }
        return new Super(start, lastTokEnd);
      }
      case K_THIS -> {
        next();
        return new ThisExpression(start, lastTokEnd);
      }
      case NAME -> {
        boolean escaped = containsEsc;
        Identifier id = parseIdent(false);
        if (!escaped && id.name().equals("async") && !canInsertSemicolon() && eat(TokenType.K_FUNCTION)) {
          return parseFunction(start, 0, true, forInit);
        }
        if (canBeArrow && !canInsertSemicolon()) {
          if (eat(TokenType.ARROW)) {
            return parseArrowExpression(start, List.of(id), false, forInit);
          }
          if (id.name().equals("async") && type == TokenType.NAME && !escaped
              && (!potentialArrowInForAwait || !"of".equals(value) || containsEsc)) {
            Identifier param = parseIdent(false);
            if (canInsertSemicolon() || !eat(TokenType.ARROW)) {
              throw unexpected();
            }
            return parseArrowExpression(start, List.of(param), true, forInit);
          }
        }
        return id;
      }
      case REGEXP -> {
        Literal.Regex regex = (Literal.Regex) value;
        next();
        return new Literal(start, lastTokEnd, null, input.substring(start, lastTokEnd), regex, null);
      }
      case NUM, STRING -> {
        return parseLiteral();
      }
      case K_NULL, K_TRUE, K_FALSE -> {
        Object literal = type == TokenType.K_NULL ? null : type == TokenType.K_TRUE;
        String raw = type.label;
        next();
        return new Literal(start, lastTokEnd, literal, raw, null, null);
      }
      case PAREN_L -> {
        Node expr = parseParenAndDistinguishExpression(canBeArrow, forInit);
        if (refErrors != null) {
          if (refErrors.parenthesizedAssign < 0 && !(expr instanceof Identifier || expr instanceof MemberExpression)) {
            refErrors.parenthesizedAssign = start;
          }
          if (refErrors.parenthesizedBind < 0) {
            refErrors.parenthesizedBind = start;
          }
        }
        return expr;
      }
      case BRACKET_L -> {
        PureLiteral pure = pureLiterals.tryScan(start, PureLiteral.Kind.ARRAY);
        if (pure != null) {
          return pure;
        }
        next();
        List<Node> elements = parseExprList(TokenType.BRACKET_R, true, true, refErrors);
        return new ArrayExpression(start, lastTokEnd, elements);
      }
      case BRACE_L -> {
        PureLiteral pure = pureLiterals.tryScan(start, PureLiteral.Kind.OBJECT);
        if (pure != null) {
          return pure;
        }
        return parseObj(false, refErrors);
      }
      case K_FUNCTION -> {
        next();
        return parseFunction(start, 0, false, forInit);
      }
      case K_CLASS -> {
        return parseClass(start, false, false);
      }
      case K_NEW -> {
        return parseNew();
      }
      case BACK_QUOTE -> {
        return parseTemplate(false);
      }
      case K_IMPORT -> {
        return parseExprImport(forNew);
      }
      default -> throw unexpected();
    }
  }

  /**
   * The ordinary tree of a pure literal, for the rare case where one is used as an assignment
   * target (an error, reported exactly as for the ordinary tree).
   */
  @Override
  final Node expandPureLiteral(PureLiteral pure) {
    ModuleParser expanding = new ModuleParser(input, module);
    expanding.pureLiterals.disable();
    expanding.strict = strict;
    expanding.enterScope(Scope.TOP);
    expanding.pos = pure.start();
    expanding.readNextToken();
    return expanding.parseExprAtom(null, false, false);
  }

  /** Called by the pure-literal scanner: the literal ends at {@code end}; continue after it. */
  final void skipPastPureLiteral(int end) {
    pos = end;
    this.end = end;
    nextToken();
  }

  final Literal parseLiteral() {
    int start = this.start;
    Object literal = value;
    next();
    String raw = input.substring(start, lastTokEnd);
    String bigint = literal instanceof BigInteger number ? number.toString() : null;
    return new Literal(start, lastTokEnd, literal, raw, null, bigint);
  }

  private Node parseExprImport(boolean forNew) {
    int start = this.start;
    if (containsEsc) {
      throw error(start, "Escape sequence in keyword import");
    }
    next();
    if (type == TokenType.PAREN_L && !forNew) {
      next();
      Node source = parseMaybeAssign();
      if (!eat(TokenType.PAREN_R)) {
        int errorPos = this.start;
        if (eat(TokenType.COMMA) && eat(TokenType.PAREN_R)) {
          throw error(errorPos, "Trailing comma is not allowed in import()");
        }
        throw unexpected(errorPos);
      }
      return new ImportExpression(start, lastTokEnd, source);
    }
    if (type == TokenType.DOT) {
      Identifier meta = new Identifier(start, start + 6, "import");
      next();
      boolean escaped = containsEsc;
      Identifier property = parseIdent(true);
      if (!property.name().equals("meta")) {
        throw error(property.start(), "The only valid meta property for import is 'import.meta'");
      }
      if (escaped) {
        throw error(start, "'import.meta' must not contain escaped characters");
      }
      if (!module) {
        throw error(start, "Cannot use 'import.meta' outside a module");
      }
      return new MetaProperty(start, lastTokEnd, meta, property);
    }
    throw unexpected();
  }

  private Node parseParenAndDistinguishExpression(boolean canBeArrow, boolean forInit) {
    int start = this.start;
    next();
    int innerStart = this.start;
    List<Node> exprList = new ArrayList<>();
    boolean first = true;
    boolean lastIsComma = false;
    DestructuringErrors refErrors = new DestructuringErrors();
    int oldYieldPos = yieldPos;
    int oldAwaitPos = awaitPos;
    int spreadStart = 0;
    yieldPos = 0;
    awaitPos = 0;
    while (type != TokenType.PAREN_R) {
      if (first) {
        first = false;
      } else {
        expect(TokenType.COMMA);
      }
      if (afterTrailingComma(TokenType.PAREN_R, true)) {
        lastIsComma = true;
        break;
      } else if (type == TokenType.ELLIPSIS) {
        spreadStart = this.start;
        exprList.add(parseRestBinding());
        if (type == TokenType.COMMA) {
          throw error(this.start, "Comma is not permitted after the rest element");
        }
        break;
      } else {
        exprList.add(parseMaybeAssign(false, refErrors));
      }
    }
    int innerEnd = lastTokEnd;
    expect(TokenType.PAREN_R);
    if (canBeArrow && !canInsertSemicolon() && eat(TokenType.ARROW)) {
      checkPatternErrors(refErrors, false);
      checkYieldAwaitInDefaultParams();
      yieldPos = oldYieldPos;
      awaitPos = oldAwaitPos;
      return parseArrowExpression(start, exprList, false, forInit);
    }
    if (exprList.isEmpty() || lastIsComma) {
      throw unexpected(lastTokStart);
    }
    if (spreadStart != 0) {
      throw unexpected(spreadStart);
    }
    checkExpressionErrors(refErrors, true);
    yieldPos = oldYieldPos != 0 ? oldYieldPos : yieldPos;
    awaitPos = oldAwaitPos != 0 ? oldAwaitPos : awaitPos;
    if (exprList.size() > 1) {
      return new SequenceExpression(innerStart, innerEnd, exprList);
    }
    return exprList.get(0);
  }

  private Node parseNew() {
    int start = this.start;
    if (containsEsc) {
      throw error(start, "Escape sequence in keyword new");
    }
    next();
    if (type == TokenType.DOT) {
      Identifier meta = new Identifier(start, start + 3, "new");
      next();
      boolean escaped = containsEsc;
      Identifier property = parseIdent(true);
      if (!property.name().equals("target")) {
        throw error(property.start(), "The only valid meta property for new is 'new.target'");
      }
      if (escaped) {
        throw error(start, "'new.target' must not contain escaped characters");
      }
      if (!allowNewDotTarget()) {
        throw error(start, "'new.target' can only be used in functions and class static block");
      }
      return new MetaProperty(start, lastTokEnd, meta, property);
    }
    int calleeStart = this.start;
    enterNesting();
    Node callee = parseSubscripts(parseExprAtom(null, false, true), calleeStart, true, false);
    exitNesting();
    List<Node> arguments = eat(TokenType.PAREN_L) ? parseExprList(TokenType.PAREN_R, true, false, null) : List.of();
    return new NewExpression(start, lastTokEnd, callee, arguments);
  }

  /** At a {@code `} token. */
  final TemplateLiteral parseTemplate(boolean isTagged) {
    int start = this.start;
    readTemplateHead();
    List<TemplateElement> quasis = new ArrayList<>();
    List<Node> expressions = new ArrayList<>();
    while (true) {
      if (templateInvalidEscape >= 0 && !isTagged) {
        throw error(templateChunkStart, "Bad escape sequence in untagged template literal");
      }
      String raw = input.substring(templateChunkStart, templateChunkEnd);
      if (raw.indexOf('\r') >= 0) {
        raw = raw.replace("\r\n", "\n").replace('\r', '\n');
      }
      boolean tail = templateTail;
      quasis.add(new TemplateElement(templateChunkStart, templateChunkEnd, raw, (String) value, tail));
      next();
      if (tail) {
        return new TemplateLiteral(start, lastTokEnd, quasis, expressions);
      }
      expressions.add(parseExpression());
      if (type != TokenType.BRACE_R) {
        throw unexpected();
      }
      readTemplateContinuation();
    }
  }

  // ---- lists, objects, spread

  final List<Node> parseExprList(TokenType close, boolean allowTrailingComma, boolean allowEmpty,
      DestructuringErrors refErrors) {
    List<Node> elements = new ArrayList<>();
    boolean first = true;
    while (!eat(close)) {
      if (!first) {
        expect(TokenType.COMMA);
        if (allowTrailingComma && afterTrailingComma(close, false)) {
          break;
        }
      } else {
        first = false;
      }
      Node element;
      if (allowEmpty && type == TokenType.COMMA) {
        element = null;
      } else if (type == TokenType.ELLIPSIS) {
        element = parseSpread(refErrors);
        if (refErrors != null && type == TokenType.COMMA && refErrors.trailingComma < 0) {
          refErrors.trailingComma = this.start;
        }
      } else {
        element = parseMaybeAssign(false, refErrors);
      }
      elements.add(element);
    }
    return elements;
  }

  private SpreadElement parseSpread(DestructuringErrors refErrors) {
    int start = this.start;
    next();
    Node argument = parseMaybeAssign(false, refErrors);
    return new SpreadElement(start, lastTokEnd, argument);
  }

  @Override
  final Node parseObj(boolean isPattern, DestructuringErrors refErrors) {
    int start = this.start;
    boolean first = true;
    boolean sawProto = false;
    List<Node> properties = new ArrayList<>();
    next();
    while (!eat(TokenType.BRACE_R)) {
      if (!first && commaEndsBraceList()) {
        break;
      }
      first = false;
      Node prop = parseProperty(isPattern, refErrors);
      if (!isPattern && prop instanceof Property property && isProtoInit(property)) {
        if (sawProto) {
          if (refErrors != null) {
            if (refErrors.doubleProto < 0) {
              refErrors.doubleProto = property.key().start();
            }
          } else {
            throw error(property.key().start(), "Redefinition of __proto__ property");
          }
        }
        sawProto = true;
      }
      properties.add(prop);
    }
    return isPattern
        ? new ObjectPattern(start, lastTokEnd, properties)
        : new ObjectExpression(start, lastTokEnd, properties);
  }

  private static boolean isProtoInit(Property prop) {
    if (prop.computed() || prop.method() || prop.shorthand() || !prop.kind().equals("init")) {
      return false;
    }
    return (prop.key() instanceof Identifier id && id.name().equals("__proto__"))
        || (prop.key() instanceof Literal literal && "__proto__".equals(literal.value()));
  }

  /** A property key and whether it was computed. */
  record PropertyName(Node key, boolean computed) {}

  final PropertyName parsePropertyName() {
    if (eat(TokenType.BRACKET_L)) {
      Node key = parseMaybeAssign();
      expect(TokenType.BRACKET_R);
      return new PropertyName(key, true);
    }
    if (type == TokenType.NUM || type == TokenType.STRING) {
      return new PropertyName(parseLiteral(), false);
    }
    return new PropertyName(parseIdent(true), false);
  }

  private Node parseProperty(boolean isPattern, DestructuringErrors refErrors) {
    int start = this.start;
    if (eat(TokenType.ELLIPSIS)) {
      if (isPattern) {
        Identifier argument = parseIdent(false);
        if (type == TokenType.COMMA) {
          throw error(this.start, "Comma is not permitted after the rest element");
        }
        return new RestElement(start, lastTokEnd, argument);
      }
      Node argument = parseMaybeAssign(false, refErrors);
      if (type == TokenType.COMMA && refErrors != null && refErrors.trailingComma < 0) {
        refErrors.trailingComma = this.start;
      }
      return new SpreadElement(start, lastTokEnd, argument);
    }
    boolean isGenerator = !isPattern && eat(TokenType.STAR);
    boolean escaped = containsEsc;
    PropertyName name = parsePropertyName();
    boolean isAsync = false;
    if (!isPattern && !escaped && !isGenerator && isAsyncProp(name)) {
      isAsync = true;
      isGenerator = eat(TokenType.STAR);
      name = parsePropertyName();
    }
    Node key = name.key();
    if ((isGenerator || isAsync) && type == TokenType.COLON) {
      throw unexpected();
    }
    if (eat(TokenType.COLON)) {
      Node value = isPattern ? parseMaybeDefault(this.start, null) : parseMaybeAssign(false, refErrors);
      return new Property(start, lastTokEnd, key, value, "init", false, false, name.computed());
    }
    if (type == TokenType.PAREN_L) {
      if (isPattern) {
        throw unexpected();
      }
      FunctionExpression method = parseMethod(isGenerator, isAsync, false);
      return new Property(start, lastTokEnd, key, method, "init", true, false, name.computed());
    }
    if (!isPattern && !escaped && !name.computed() && key instanceof Identifier id
        && (id.name().equals("get") || id.name().equals("set"))
        && type != TokenType.COMMA && type != TokenType.BRACE_R && type != TokenType.EQ) {
      if (isGenerator || isAsync) {
        throw unexpected();
      }
      String kind = id.name();
      PropertyName accessorName = parsePropertyName();
      FunctionExpression accessor = parseMethod(false, false, false);
      checkAccessorParams(kind, accessor);
      return new Property(start, lastTokEnd, accessorName.key(), accessor, kind, false, false, accessorName.computed());
    }
    if (!name.computed() && key instanceof Identifier id) {
      if (isGenerator || isAsync) {
        throw unexpected();
      }
      checkUnreserved(id);
      if (id.name().equals("await") && awaitIdentPos == 0) {
        awaitIdentPos = start;
      }
      Node value;
      if (isPattern) {
        value = parseMaybeDefault(start, id);
      } else if (type == TokenType.EQ && refErrors != null) {
        if (refErrors.shorthandAssign < 0) {
          refErrors.shorthandAssign = this.start;
        }
        value = parseMaybeDefault(start, id);
      } else {
        value = id;
      }
      return new Property(start, lastTokEnd, key, value, "init", false, true, false);
    }
    throw unexpected();
  }

  private boolean isAsyncProp(PropertyName name) {
    return !name.computed() && name.key() instanceof Identifier id && id.name().equals("async")
        && (type == TokenType.NAME || type == TokenType.NUM || type == TokenType.STRING
            || type == TokenType.BRACKET_L || type.isKeyword() || type == TokenType.STAR)
        && !newlineBefore;
  }

  final void checkAccessorParams(String kind, FunctionExpression accessor) {
    int expected = kind.equals("get") ? 0 : 1;
    if (accessor.params().size() != expected) {
      throw error(accessor.start(), kind.equals("get") ? "getter should have no params" : "setter should have exactly one param");
    }
    if (kind.equals("set") && accessor.params().get(0) instanceof RestElement rest) {
      throw error(rest.start(), "Setter cannot use rest params");
    }
  }

  // ---- functions

  final FunctionExpression parseMethod(boolean isGenerator, boolean isAsync, boolean allowDirectSuper) {
    int start = this.start;
    int oldYieldPos = yieldPos;
    int oldAwaitPos = awaitPos;
    int oldAwaitIdentPos = awaitIdentPos;
    yieldPos = 0;
    awaitPos = 0;
    awaitIdentPos = 0;
    enterScope(Scope.functionFlags(isAsync, isGenerator) | Scope.SUPER | (allowDirectSuper ? Scope.DIRECT_SUPER : 0));
    expect(TokenType.PAREN_L);
    List<Node> params = parseBindingList(TokenType.PAREN_R, false, true);
    checkYieldAwaitInDefaultParams();
    FunctionBody body = parseFunctionBody(start, null, params, false, true, false);
    yieldPos = oldYieldPos;
    awaitPos = oldAwaitPos;
    awaitIdentPos = oldAwaitIdentPos;
    return new FunctionExpression(start, lastTokEnd, null, params, (BlockStatement) body.body(), isGenerator, isAsync);
  }

  final ArrowFunctionExpression parseArrowExpression(int start, List<Node> params, boolean isAsync, boolean forInit) {
    int oldYieldPos = yieldPos;
    int oldAwaitPos = awaitPos;
    int oldAwaitIdentPos = awaitIdentPos;
    enterScope(Scope.functionFlags(isAsync, false) | Scope.ARROW);
    yieldPos = 0;
    awaitPos = 0;
    awaitIdentPos = 0;
    List<Node> patterns = toAssignableList(params, true);
    FunctionBody body = parseFunctionBody(start, null, patterns, true, false, forInit);
    yieldPos = oldYieldPos;
    awaitPos = oldAwaitPos;
    awaitIdentPos = oldAwaitIdentPos;
    return new ArrowFunctionExpression(start, lastTokEnd, patterns, body.body(), isAsync, body.expression());
  }

  // ---- identifiers, yield, await

  @Override
  final Identifier parseIdent(boolean liberal) {
    int start = this.start;
    String name;
    if (type == TokenType.NAME) {
      name = (String) value;
    } else if (type.isKeyword()) {
      name = type.label;
    } else {
      throw unexpected();
    }
    next(liberal);
    Identifier id = new Identifier(start, lastTokEnd, name);
    if (!liberal) {
      checkUnreserved(id);
      if (name.equals("await") && awaitIdentPos == 0) {
        awaitIdentPos = start;
      }
    }
    return id;
  }

  final PrivateIdentifier parsePrivateIdent() {
    if (type != TokenType.PRIVATE_ID) {
      throw unexpected();
    }
    PrivateIdentifier id = new PrivateIdentifier(start, end, (String) value);
    next();
    if (privateNameStack.isEmpty()) {
      throw error(id.start(), "Private field '#" + id.name() + "' must be declared in an enclosing class");
    }
    privateNameStack.get(privateNameStack.size() - 1).used.add(id);
    return id;
  }

  private Node parseYield(boolean forInit) {
    if (yieldPos == 0) {
      yieldPos = start;
    }
    int start = this.start;
    next();
    if (type == TokenType.SEMI || canInsertSemicolon() || (type != TokenType.STAR && !startsExpr())) {
      return new YieldExpression(start, lastTokEnd, null, false);
    }
    boolean delegate = eat(TokenType.STAR);
    Node argument = parseMaybeAssign(forInit, null);
    return new YieldExpression(start, lastTokEnd, argument, delegate);
  }

  private Node parseAwait(boolean forInit) {
    if (awaitPos == 0) {
      awaitPos = start;
    }
    int start = this.start;
    next();
    Node argument = parseMaybeUnary(null, true, false, forInit);
    return new AwaitExpression(start, lastTokEnd, argument);
  }
}
