package dev.kiln.compiler.ast;

import java.util.List;
import java.util.function.Consumer;

/** ESTree {@code ObjectExpression}: {@code { properties }}: Property and SpreadElement nodes. */
public record ObjectExpression(int start, int end, List<Node> properties) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, properties);
  }
}
