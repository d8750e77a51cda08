package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code AssignmentPattern}: {@code left = right}: a pattern with a default value. */
public record AssignmentPattern(int start, int end, Node left, Node right) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, left, right);
  }
}
