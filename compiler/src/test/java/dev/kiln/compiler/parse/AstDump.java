package dev.kiln.compiler.parse;

import dev.kiln.compiler.ast.Identifier;
import dev.kiln.compiler.ast.Literal;
import dev.kiln.compiler.ast.Node;
import dev.kiln.compiler.ast.PrivateIdentifier;
import dev.kiln.compiler.ast.PureLiteral;

/** A compact one-line rendering of a tree for assertions: {@code Type(child child)}. */
final class AstDump {
  private AstDump() {}

  static String of(Node node) {
    StringBuilder out = new StringBuilder();
    append(node, out);
    return out.toString();
  }

  private static void append(Node node, StringBuilder out) {
    switch (node) {
      case Identifier id -> out.append(id.name());
      case PrivateIdentifier id -> out.append('#').append(id.name());
      case Literal literal -> out.append(literal.raw());
      case PureLiteral pure -> out.append("Pure").append(pure.kind());
      default -> {
        out.append(node.type());
        StringBuilder children = new StringBuilder();
        node.forEachChild(child -> {
          if (!children.isEmpty()) {
            children.append(' ');
          }
          append(child, children);
        });
        if (!children.isEmpty()) {
          out.append('(').append(children).append(')');
        }
      }
    }
  }
}
