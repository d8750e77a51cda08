package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code ImportExpression}: Dynamic {@code import(source)}. */
public record ImportExpression(int start, int end, Node source) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, source);
  }
}
