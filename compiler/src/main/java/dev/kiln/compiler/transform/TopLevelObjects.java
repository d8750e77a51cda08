package dev.kiln.compiler.transform;

import dev.kiln.compiler.ast.Node;
import dev.kiln.compiler.ast.ObjectExpression;
import dev.kiln.compiler.ast.Program;
import dev.kiln.compiler.ast.VariableDeclaration;
import dev.kiln.compiler.ast.VariableDeclarator;
import java.util.List;

/**
 * The reference's ignore rule ({@code transform-ignore.ts}): an object literal that directly
 * initialises a declarator of a top-level {@code var/let/const} is data, so lazy-state and
 * promises do not look inside it.
 */
final class TopLevelObjects {
  private TopLevelObjects() {}

  static boolean isIgnored(Node node, List<Node> ancestors) {
    int n = ancestors.size();
    return node instanceof ObjectExpression
        && n >= 3
        && ancestors.get(n - 1) instanceof VariableDeclarator declarator
        && declarator.init() == node
        && ancestors.get(n - 2) instanceof VariableDeclaration
        && ancestors.get(n - 3) instanceof Program;
  }
}
