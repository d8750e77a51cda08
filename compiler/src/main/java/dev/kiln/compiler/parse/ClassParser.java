package dev.kiln.compiler.parse;

import dev.kiln.compiler.ast.ClassBody;
import dev.kiln.compiler.ast.ClassDeclaration;
import dev.kiln.compiler.ast.ClassExpression;
import dev.kiln.compiler.ast.FunctionExpression;
import dev.kiln.compiler.ast.Identifier;
import dev.kiln.compiler.ast.Literal;
import dev.kiln.compiler.ast.MethodDefinition;
import dev.kiln.compiler.ast.Node;
import dev.kiln.compiler.ast.PrivateIdentifier;
import dev.kiln.compiler.ast.PropertyDefinition;
import dev.kiln.compiler.ast.StaticBlock;
import java.util.ArrayList;
import java.util.List;

/** Class declarations and expressions: methods, accessors, fields, private names, static blocks. */
abstract class ClassParser extends StatementParser {

  ClassParser(String input, boolean module) {
    super(input, module);
  }

  @Override
  final Node parseClassDeclarationStatement(int start) {
    return parseClass(start, true, false);
  }

  @Override
  final Node parseClass(int start, boolean isStatement, boolean nullableId) {
    next();
    boolean oldStrict = strict;
    strict = true;
    Identifier id = null;
    if (type == TokenType.NAME) {
      id = parseIdent(false);
      checkLValSimple(id, isStatement ? BIND_LEXICAL : BIND_OUTSIDE, null);
    } else if (isStatement && !nullableId) {
      throw unexpected();
    }
    Node superClass = eat(TokenType.K_EXTENDS) ? parseExprSubscripts(null, false) : null;
    PrivateNames privateNames = enterClassBody();
    int bodyStart = this.start;
    List<Node> body = new ArrayList<>();
    boolean hadConstructor = false;
    expect(TokenType.BRACE_L);
    while (type != TokenType.BRACE_R) {
      Node element = parseClassElement(superClass != null);
      if (element == null) {
        continue;
      }
      body.add(element);
      if (element instanceof MethodDefinition method && method.kind().equals("constructor")) {
        if (hadConstructor) {
          throw error(element.start(), "Duplicate constructor in the same class");
        }
        hadConstructor = true;
      } else if (privateKey(element) instanceof PrivateIdentifier key && isPrivateNameConflicted(privateNames, element, key)) {
        throw error(key.start(), "Identifier '#" + key.name() + "' has already been declared");
      }
    }
    strict = oldStrict;
    next();
    ClassBody classBody = new ClassBody(bodyStart, lastTokEnd, body);
    exitClassBody();
    return isStatement
        ? new ClassDeclaration(start, lastTokEnd, id, superClass, classBody)
        : new ClassExpression(start, lastTokEnd, id, superClass, classBody);
  }

  private static Node privateKey(Node element) {
    return switch (element) {
      case MethodDefinition method -> method.key();
      case PropertyDefinition field -> field.key();
      default -> null;
    };
  }

  private static boolean isPrivateNameConflicted(PrivateNames names, Node element, PrivateIdentifier key) {
    String current = names.declared.get(key.name());
    String next = "true";
    if (element instanceof MethodDefinition method && (method.kind().equals("get") || method.kind().equals("set"))) {
      next = (method.isStatic() ? "s" : "i") + method.kind();
    }
    if (("iget".equals(current) && next.equals("iset")) || ("iset".equals(current) && next.equals("iget"))
        || ("sget".equals(current) && next.equals("sset")) || ("sset".equals(current) && next.equals("sget"))) {
      names.declared.put(key.name(), "true");
      return false;
    }
    if (current == null) {
      names.declared.put(key.name(), next);
      return false;
    }
    return true;
  }

  private boolean isClassElementNameStart() {
    return type == TokenType.NAME || type == TokenType.PRIVATE_ID || type == TokenType.NUM
        || type == TokenType.STRING || type == TokenType.BRACKET_L || type.isKeyword();
  }

  private Node parseClassElement(boolean constructorAllowsSuper) {
    if (eat(TokenType.SEMI)) {
      return null;
    }
    int start = this.start;
    String keyName = null;
    boolean isGenerator = false;
    boolean isAsync = false;
    String kind = "method";
    boolean isStatic = false;
    if (eatContextual("static")) {
      if (eat(TokenType.BRACE_L)) {
        return parseClassStaticBlock(start);
      }
      if (isClassElementNameStart() || type == TokenType.STAR) {
        isStatic = true;
      } else {
        keyName = "static";
      }
    }
    if (keyName == null && eatContextual("async")) {
      if ((isClassElementNameStart() || type == TokenType.STAR) && !canInsertSemicolon()) {
        isAsync = true;
      } else {
        keyName = "async";
      }
    }
    if (keyName == null && eat(TokenType.STAR)) {
      isGenerator = true;
    }
    if (keyName == null && !isAsync && !isGenerator) {
      Object lastValue = value;
      if (eatContextual("get") || eatContextual("set")) {
        if (isClassElementNameStart()) {
          kind = (String) lastValue;
        } else {
          keyName = (String) lastValue;
        }
      }
    }
    Node key;
    boolean computed;
    if (keyName != null) {
      key = new Identifier(lastTokStart, lastTokEnd, keyName);
      computed = false;
    } else if (type == TokenType.PRIVATE_ID) {
      if ("constructor".equals(value)) {
        throw error(this.start, "Classes can't have an element named '#constructor'");
      }
      key = parsePrivateIdent();
      computed = false;
    } else {
      PropertyName name = parsePropertyName();
      key = name.key();
      computed = name.computed();
    }
    if (type == TokenType.PAREN_L || !kind.equals("method") || isGenerator || isAsync) {
      boolean isConstructor = !isStatic && isKeyNamed(key, computed, "constructor");
      if (isConstructor && !kind.equals("method")) {
        throw error(key.start(), "Constructor can't have get/set modifier");
      }
      if (isConstructor) {
        if (isGenerator) {
          throw error(key.start(), "Constructor can't be a generator");
        }
        if (isAsync) {
          throw error(key.start(), "Constructor can't be an async method");
        }
      } else if (isStatic && isKeyNamed(key, computed, "prototype")) {
        throw error(key.start(), "Classes may not have a static property named prototype");
      }
      FunctionExpression value = parseMethod(isGenerator, isAsync, isConstructor && constructorAllowsSuper);
      if (kind.equals("get") || kind.equals("set")) {
        checkAccessorParams(kind, value);
      }
      return new MethodDefinition(start, lastTokEnd, key, value, isConstructor ? "constructor" : kind, computed, isStatic);
    }
    if (isKeyNamed(key, computed, "constructor")) {
      throw error(key.start(), "Classes can't have a field named 'constructor'");
    }
    if (isStatic && isKeyNamed(key, computed, "prototype")) {
      throw error(key.start(), "Classes can't have a static field named 'prototype'");
    }
    Node value = null;
    if (eat(TokenType.EQ)) {
      Scope scope = currentThisScope();
      boolean old = scope.inClassFieldInit;
      scope.inClassFieldInit = true;
      value = parseMaybeAssign();
      scope.inClassFieldInit = old;
    }
    semicolon();
    return new PropertyDefinition(start, lastTokEnd, key, value, computed, isStatic);
  }

  private static boolean isKeyNamed(Node key, boolean computed, String name) {
    return !computed
        && ((key instanceof Identifier id && id.name().equals(name))
            || (key instanceof Literal literal && name.equals(literal.value())));
  }

  private Node parseClassStaticBlock(int start) {
    List<Label> oldLabels = labels;
    labels = new ArrayList<>();
    enterScope(Scope.CLASS_STATIC_BLOCK | Scope.SUPER);
    List<Node> body = new ArrayList<>();
    while (type != TokenType.BRACE_R) {
      if (type == TokenType.EOF) {
        throw unexpected();
      }
      body.add(parseStatement(null, false, null));
    }
    next();
    exitScope();
    labels = oldLabels;
    return new StaticBlock(start, lastTokEnd, body);
  }
}
