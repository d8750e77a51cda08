package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code YieldExpression}: {@code yield argument} / {@code yield* argument} (delegate). */
public record YieldExpression(int start, int end, Node argument, boolean delegate) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, argument);
  }
}
