package dev.kiln.compiler.transform;

import dev.kiln.compiler.ast.Node;
import java.util.ArrayList;
import java.util.List;

/** A pre-order walk in ESTree field order that knows each node's ancestors. */
final class AncestorWalk {
  /** Called for each node; returns whether to descend into its children. */
  interface Visitor {
    boolean visit(Node node, List<Node> ancestors);
  }

  private final Visitor visitor;
  private final List<Node> ancestors = new ArrayList<>();

  private AncestorWalk(Visitor visitor) {
    this.visitor = visitor;
  }

  static void walk(Node root, Visitor visitor) {
    new AncestorWalk(visitor).visit(root);
  }

  private void visit(Node node) {
    if (!visitor.visit(node, ancestors)) {
      return;
    }
    ancestors.add(node);
    node.forEachChild(this::visit);
    ancestors.removeLast();
  }
}
