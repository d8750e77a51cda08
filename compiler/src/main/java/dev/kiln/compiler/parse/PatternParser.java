package dev.kiln.compiler.parse;

import dev.kiln.compiler.ast.ArrayExpression;
import dev.kiln.compiler.ast.ArrayPattern;
import dev.kiln.compiler.ast.AssignmentExpression;
import dev.kiln.compiler.ast.AssignmentPattern;
import dev.kiln.compiler.ast.ChainExpression;
import dev.kiln.compiler.ast.Identifier;
import dev.kiln.compiler.ast.MemberExpression;
import dev.kiln.compiler.ast.Node;
import dev.kiln.compiler.ast.ObjectExpression;
import dev.kiln.compiler.ast.ObjectPattern;
import dev.kiln.compiler.ast.Property;
import dev.kiln.compiler.ast.PureLiteral;
import dev.kiln.compiler.ast.RestElement;
import dev.kiln.compiler.ast.SpreadElement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Patterns ("lval" in acorn): binding patterns, the conversion of expressions to assignment
 * targets (the cover grammar), and the checks on what is being bound or assigned.
 */
abstract class PatternParser extends ParserState {

  PatternParser(String input, boolean module) {
    super(input, module);
  }

  abstract Node parseMaybeAssign(boolean forInit, DestructuringErrors refErrors);

  abstract Identifier parseIdent(boolean liberal);

  abstract Node parseObj(boolean isPattern, DestructuringErrors refErrors);

  abstract Node expandPureLiteral(PureLiteral pure);

  // ---- expression to pattern

  final Node toAssignable(Node node, boolean isBinding, DestructuringErrors refErrors) {
    switch (node) {
      case Identifier id -> {
        if (inAsync() && id.name().equals("await")) {
          throw error(id.start(), "Cannot use 'await' as identifier inside an async function");
        }
        return id;
      }
      case ObjectPattern p -> {
        return p;
      }
      case ArrayPattern p -> {
        return p;
      }
      case AssignmentPattern p -> {
        return p;
      }
      case RestElement p -> {
        return p;
      }
      case ObjectExpression object -> {
        if (refErrors != null) {
          checkPatternErrors(refErrors, true);
        }
        List<Node> properties = new ArrayList<>(object.properties().size());
        for (Node prop : object.properties()) {
          Node converted = toAssignable(prop, isBinding, null);
          if (converted instanceof RestElement rest
              && (rest.argument() instanceof ArrayPattern || rest.argument() instanceof ObjectPattern)) {
            throw unexpected(rest.argument().start());
          }
          properties.add(converted);
        }
        return new ObjectPattern(object.start(), object.end(), properties);
      }
      case Property prop -> {
        if (!prop.kind().equals("init")) {
          throw error(prop.key().start(), "Object pattern can't contain getter or setter");
        }
        Node value = toAssignable(prop.value(), isBinding, null);
        return new Property(prop.start(), prop.end(), prop.key(), value, prop.kind(), prop.method(),
            prop.shorthand(), prop.computed());
      }
      case ArrayExpression array -> {
        if (refErrors != null) {
          checkPatternErrors(refErrors, true);
        }
        return new ArrayPattern(array.start(), array.end(), toAssignableList(array.elements(), isBinding));
      }
      case SpreadElement spread -> {
        Node argument = toAssignable(spread.argument(), isBinding, null);
        if (argument instanceof AssignmentPattern) {
          throw error(argument.start(), "Rest elements cannot have a default value");
        }
        return new RestElement(spread.start(), spread.end(), argument);
      }
      case AssignmentExpression assign -> {
        if (!assign.operator().equals("=")) {
          throw error(assign.left().end(), "Only '=' operator can be used for specifying default value.");
        }
        Node left = toAssignable(assign.left(), isBinding, null);
        return new AssignmentPattern(assign.start(), assign.end(), left, assign.right());
      }
      case ChainExpression chain ->
          throw error(chain.start(), "Optional chaining cannot appear in left-hand side");
      case MemberExpression member when !isBinding -> {
        return member;
      }
      case PureLiteral pure -> {
        return toAssignable(expandPureLiteral(pure), isBinding, refErrors);
      }
      default -> throw error(node.start(), "Assigning to rvalue");
    }
  }

  final List<Node> toAssignableList(List<Node> list, boolean isBinding) {
    List<Node> converted = new ArrayList<>(list.size());
    for (Node element : list) {
      converted.add(element == null ? null : toAssignable(element, isBinding, null));
    }
    return converted;
  }

  final void checkPatternErrors(DestructuringErrors refErrors, boolean isAssign) {
    if (refErrors == null) {
      return;
    }
    if (refErrors.trailingComma > -1) {
      throw error(refErrors.trailingComma, "Comma is not permitted after the rest element");
    }
    int parens = isAssign ? refErrors.parenthesizedAssign : refErrors.parenthesizedBind;
    if (parens > -1) {
      throw error(parens, isAssign ? "Assigning to rvalue" : "Parenthesized pattern");
    }
  }

  final boolean checkExpressionErrors(DestructuringErrors refErrors, boolean andThrow) {
    if (refErrors == null) {
      return false;
    }
    if (!andThrow) {
      return refErrors.shorthandAssign >= 0 || refErrors.doubleProto >= 0;
    }
    if (refErrors.shorthandAssign >= 0) {
      throw error(refErrors.shorthandAssign,
          "Shorthand property assignments are valid only in destructuring patterns");
    }
    if (refErrors.doubleProto >= 0) {
      throw error(refErrors.doubleProto, "Redefinition of __proto__ property");
    }
    return false;
  }

  // ---- binding patterns

  final Node parseBindingAtom() {
    if (type == TokenType.BRACKET_L) {
      enterNesting();
      int start = this.start;
      next();
      List<Node> elements = parseBindingList(TokenType.BRACKET_R, true, true);
      exitNesting();
      return new ArrayPattern(start, lastTokEnd, elements);
    }
    if (type == TokenType.BRACE_L) {
      enterNesting();
      Node pattern = parseObj(true, null);
      exitNesting();
      return pattern;
    }
    return parseIdent(false);
  }

  final List<Node> parseBindingList(TokenType close, boolean allowEmpty, boolean allowTrailingComma) {
    List<Node> elements = new ArrayList<>();
    boolean first = true;
    while (!eat(close)) {
      if (first) {
        first = false;
      } else {
        expect(TokenType.COMMA);
      }
      if (allowEmpty && type == TokenType.COMMA) {
        elements.add(null);
      } else if (allowTrailingComma && afterTrailingComma(close, false)) {
        break;
      } else if (type == TokenType.ELLIPSIS) {
        elements.add(parseRestBinding());
        if (type == TokenType.COMMA) {
          throw error(start, "Comma is not permitted after the rest element");
        }
        expect(close);
        break;
      } else {
        elements.add(parseMaybeDefault(start, null));
      }
    }
    return elements;
  }

  final RestElement parseRestBinding() {
    int start = this.start;
    next();
    Node argument = parseBindingAtom();
    return new RestElement(start, lastTokEnd, argument);
  }

  final Node parseMaybeDefault(int start, Node left) {
    Node target = left != null ? left : parseBindingAtom();
    if (!eat(TokenType.EQ)) {
      return target;
    }
    Node right = parseMaybeAssign(false, null);
    return new AssignmentPattern(start, lastTokEnd, target, right);
  }

  // ---- what may be bound or assigned

  final void checkLValSimple(Node expr, int bindingType, Set<String> checkClashes) {
    boolean isBind = bindingType != BIND_NONE;
    switch (expr) {
      case Identifier id -> {
        String name = id.name();
        if (strict && (isStrictReserved(name) || name.equals("eval") || name.equals("arguments"))) {
          throw error(id.start(), (isBind ? "Binding " : "Assigning to ") + name + " in strict mode");
        }
        if (isBind) {
          if (bindingType == BIND_LEXICAL && name.equals("let")) {
            throw error(id.start(), "let is disallowed as a lexically bound name");
          }
          if (checkClashes != null && !checkClashes.add(name)) {
            throw error(id.start(), "Argument name clash");
          }
          if (bindingType != BIND_OUTSIDE) {
            declareName(name, bindingType, id.start());
          }
        }
      }
      case ChainExpression chain ->
          throw error(chain.start(), "Optional chaining cannot appear in left-hand side");
      case MemberExpression member -> {
        if (isBind) {
          throw error(member.start(), "Binding member expression");
        }
      }
      default -> throw error(expr.start(), isBind ? "Binding rvalue" : "Assigning to rvalue");
    }
  }

  final void checkLValSimple(Node expr) {
    checkLValSimple(expr, BIND_NONE, null);
  }

  final void checkLValPattern(Node expr, int bindingType, Set<String> checkClashes) {
    switch (expr) {
      case ObjectPattern pattern -> {
        for (Node prop : pattern.properties()) {
          checkLValInnerPattern(prop, bindingType, checkClashes);
        }
      }
      case ArrayPattern pattern -> {
        for (Node element : pattern.elements()) {
          if (element != null) {
            checkLValInnerPattern(element, bindingType, checkClashes);
          }
        }
      }
      default -> checkLValSimple(expr, bindingType, checkClashes);
    }
  }

  final void checkLValPattern(Node expr) {
    checkLValPattern(expr, BIND_NONE, null);
  }

  final void checkLValInnerPattern(Node expr, int bindingType, Set<String> checkClashes) {
    switch (expr) {
      case Property prop -> checkLValInnerPattern(prop.value(), bindingType, checkClashes);
      case AssignmentPattern pattern -> checkLValPattern(pattern.left(), bindingType, checkClashes);
      case RestElement rest -> checkLValPattern(rest.argument(), bindingType, checkClashes);
      default -> checkLValPattern(expr, bindingType, checkClashes);
    }
  }

  /** Declares the parameters in the function scope; rejects duplicates unless allowed. */
  final void checkParams(List<Node> params, boolean allowDuplicates) {
    Set<String> names = allowDuplicates ? null : new HashSet<>();
    for (Node param : params) {
      checkLValInnerPattern(param, BIND_VAR, names);
    }
  }

  static boolean isSimpleParamList(List<Node> params) {
    for (Node param : params) {
      if (!(param instanceof Identifier)) {
        return false;
      }
    }
    return true;
  }
}
