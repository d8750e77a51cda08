package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code AwaitExpression}: {@code await argument} */
public record AwaitExpression(int start, int end, Node argument) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, argument);
  }
}
