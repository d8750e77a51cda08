package dev.kiln.compiler.ast;

import java.util.List;
import java.util.function.Consumer;

/** The shared body of {@link Node#forEachChild}: fields are nodes, node lists or null. */
final class Children {
  private Children() {}

  static void visit(Consumer<? super Node> visitor, Object... fields) {
    for (Object field : fields) {
      if (field instanceof Node node) {
        visitor.accept(node);
      } else if (field instanceof List<?> list) {
        for (Object element : list) {
          if (element != null) {
            visitor.accept((Node) element);
          }
        }
      }
    }
  }
}
