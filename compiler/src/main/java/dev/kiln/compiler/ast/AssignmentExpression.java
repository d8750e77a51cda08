package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code AssignmentExpression}: {@code left operator right} for {@code = += ... &&= ||= ??=}. */
public record AssignmentExpression(int start, int end, String operator, Node left, Node right) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, left, right);
  }
}
