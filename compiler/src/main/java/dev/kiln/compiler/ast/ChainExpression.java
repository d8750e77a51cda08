package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code ChainExpression}: The whole of an optional chain such as {@code a?.b.c()}. */
public record ChainExpression(int start, int end, Node expression) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, expression);
  }
}
