package dev.kiln.runtime;

import dev.kiln.compiler.ast.ClassDeclaration;
import dev.kiln.compiler.ast.ExportNamedDeclaration;
import dev.kiln.compiler.ast.ExportSpecifier;
import dev.kiln.compiler.ast.FunctionDeclaration;
import dev.kiln.compiler.ast.Identifier;
import dev.kiln.compiler.ast.Literal;
import dev.kiln.compiler.ast.Node;
import dev.kiln.compiler.ast.VariableDeclaration;
import dev.kiln.compiler.ast.VariableDeclarator;
import dev.kiln.compiler.parse.JsSyntaxError;
import dev.kiln.compiler.parse.Parser;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The names a workflow globals module exports. Steps are compiled with these as ignored imports,
 * so a job calling a global is not rewritten to import an adaptor export of the same name.
 */
final class GlobalsExports {
  private GlobalsExports() {}

  /** The exported names; empty when the module does not parse (the run then reports it). */
  static Set<String> names(String source) {
    Set<String> names = new LinkedHashSet<>();
    try {
      for (Node statement : Parser.parseModule(source).body()) {
        if (statement instanceof ExportNamedDeclaration export) {
          addDeclared(export.declaration(), names);
          for (ExportSpecifier specifier : export.specifiers()) {
            addName(specifier.exported(), names);
          }
        }
      }
    } catch (JsSyntaxError e) {
      return Set.of();
    }
    return names;
  }

  private static void addDeclared(Node declaration, Set<String> names) {
    if (declaration instanceof VariableDeclaration variables) {
      for (VariableDeclarator declarator : variables.declarations()) {
        addName(declarator.id(), names);
      }
    } else if (declaration instanceof FunctionDeclaration function && function.id() != null) {
      names.add(function.id().name());
    } else if (declaration instanceof ClassDeclaration type && type.id() != null) {
      names.add(type.id().name());
    }
  }

  private static void addName(Node node, Set<String> names) {
    if (node instanceof Identifier id) {
      names.add(id.name());
    } else if (node instanceof Literal literal && literal.value() instanceof String text) {
      names.add(text);
    }
  }
}
