package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code LogicalExpression}: {@code left operator right} for {@code || && ??}. */
public record LogicalExpression(int start, int end, Node left, String operator, Node right) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, left, right);
  }
}
