package dev.kiln.compiler.parse;

import dev.kiln.compiler.ast.ClassDeclaration;
import dev.kiln.compiler.ast.ExportAllDeclaration;
import dev.kiln.compiler.ast.ExportDefaultDeclaration;
import dev.kiln.compiler.ast.ExportNamedDeclaration;
import dev.kiln.compiler.ast.ExportSpecifier;
import dev.kiln.compiler.ast.FunctionDeclaration;
import dev.kiln.compiler.ast.Identifier;
import dev.kiln.compiler.ast.ImportDeclaration;
import dev.kiln.compiler.ast.ImportDefaultSpecifier;
import dev.kiln.compiler.ast.ImportNamespaceSpecifier;
import dev.kiln.compiler.ast.ImportSpecifier;
import dev.kiln.compiler.ast.Literal;
import dev.kiln.compiler.ast.Node;
import dev.kiln.compiler.ast.VariableDeclaration;
import dev.kiln.compiler.ast.VariableDeclarator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code import} and {@code export} declarations; the complete parser. */
final class ModuleParser extends ClassParser {

  ModuleParser(String input, boolean module) {
    super(input, module);
  }

  @Override
  Node parseImport(int start) {
    next();
    List<Node> specifiers = new ArrayList<>();
    Literal source;
    if (type == TokenType.STRING) {
      source = parseLiteral();
    } else {
      parseImportSpecifiers(specifiers);
      expectContextual("from");
      if (type != TokenType.STRING) {
        throw unexpected();
      }
      source = parseLiteral();
    }
    semicolon();
    return new ImportDeclaration(start, lastTokEnd, specifiers, source);
  }

  private void parseImportSpecifiers(List<Node> specifiers) {
    if (type == TokenType.NAME) {
      int start = this.start;
      Identifier local = parseIdent(false);
      checkLValSimple(local, BIND_LEXICAL, null);
      specifiers.add(new ImportDefaultSpecifier(start, lastTokEnd, local));
      if (!eat(TokenType.COMMA)) {
        return;
      }
    }
    if (type == TokenType.STAR) {
      int start = this.start;
      next();
      expectContextual("as");
      Identifier local = parseIdent(false);
      checkLValSimple(local, BIND_LEXICAL, null);
      specifiers.add(new ImportNamespaceSpecifier(start, lastTokEnd, local));
      return;
    }
    expect(TokenType.BRACE_L);
    boolean first = true;
    while (!eat(TokenType.BRACE_R)) {
      if (!first && commaEndsBraceList()) {
        break;
      }
      first = false;
      int start = this.start;
      Node imported = parseModuleExportName();
      Identifier local;
      if (eatContextual("as")) {
        local = parseIdent(false);
      } else if (imported instanceof Identifier id) {
        checkUnreserved(id);
        local = id;
      } else {
        throw error(imported.start(), "Binding rvalue");
      }
      checkLValSimple(local, BIND_LEXICAL, null);
      specifiers.add(new ImportSpecifier(start, lastTokEnd, imported, local));
    }
  }

  private Node parseModuleExportName() {
    if (type == TokenType.STRING) {
      Literal literal = parseLiteral();
      String text = (String) literal.value();
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else if (Character.isSurrogate(c)) {
          throw error(literal.start(), "An export name cannot include a lone surrogate.");
        }
      }
      return literal;
    }
    return parseIdent(true);
  }

  private static String exportName(Node name) {
    return name instanceof Identifier id ? id.name() : (String) ((Literal) name).value();
  }

  @Override
  Node parseExport(int start, Set<String> exports) {
    next();
    if (eat(TokenType.STAR)) {
      Node exported = null;
      if (eatContextual("as")) {
        exported = parseModuleExportName();
        checkExport(exports, exportName(exported), exported.start());
      }
      expectContextual("from");
      if (type != TokenType.STRING) {
        throw unexpected();
      }
      Literal source = parseLiteral();
      semicolon();
      return new ExportAllDeclaration(start, lastTokEnd, exported, source);
    }
    if (eat(TokenType.K_DEFAULT)) {
      checkExport(exports, "default", lastTokStart);
      Node declaration = parseExportDefaultDeclaration();
      return new ExportDefaultDeclaration(start, lastTokEnd, declaration);
    }
    if (type == TokenType.K_VAR || type == TokenType.K_CONST || type == TokenType.K_CLASS
        || type == TokenType.K_FUNCTION || isLet(null) || isAsyncFunction()) {
      Node declaration = parseStatement(null, false, null);
      switch (declaration) {
        case VariableDeclaration variables -> {
          for (VariableDeclarator declarator : variables.declarations()) {
            checkPatternExport(exports, declarator.id());
          }
        }
        case FunctionDeclaration function -> checkExport(exports, function.id().name(), function.id().start());
        case ClassDeclaration declared -> checkExport(exports, declared.id().name(), declared.id().start());
        default -> throw unexpected(declaration.start());
      }
      return new ExportNamedDeclaration(start, lastTokEnd, declaration, List.of(), null);
    }
    List<ExportSpecifier> specifiers = new ArrayList<>();
    expect(TokenType.BRACE_L);
    boolean first = true;
    while (!eat(TokenType.BRACE_R)) {
      if (!first && commaEndsBraceList()) {
        break;
      }
      first = false;
      int specifierStart = this.start;
      Node local = parseModuleExportName();
      Node exported = eatContextual("as") ? parseModuleExportName() : local;
      checkExport(exports, exportName(exported), exported.start());
      specifiers.add(new ExportSpecifier(specifierStart, lastTokEnd, local, exported));
    }
    Literal source = null;
    if (eatContextual("from")) {
      if (type != TokenType.STRING) {
        throw unexpected();
      }
      source = parseLiteral();
    } else {
      for (ExportSpecifier specifier : specifiers) {
        if (specifier.local() instanceof Literal literal) {
          throw error(literal.start(), "A string literal cannot be used as an exported binding without `from`.");
        }
        Identifier local = (Identifier) specifier.local();
        checkUnreserved(local);
        Scope top = scopeStack.get(0);
        if (!top.lexical.contains(local.name()) && !top.vars.contains(local.name())) {
          undefinedExports.putIfAbsent(local.name(), local);
        }
      }
    }
    semicolon();
    return new ExportNamedDeclaration(start, lastTokEnd, null, specifiers, source);
  }

  private Node parseExportDefaultDeclaration() {
    boolean isAsync = false;
    if (type == TokenType.K_FUNCTION || (isAsync = isAsyncFunction())) {
      int start = this.start;
      next();
      if (isAsync) {
        next();
      }
      return parseFunction(start, FUNC_STATEMENT | FUNC_NULLABLE_ID, isAsync, false);
    }
    if (type == TokenType.K_CLASS) {
      return parseClass(start, true, true);
    }
    Node declaration = parseMaybeAssign();
    semicolon();
    return declaration;
  }
}
