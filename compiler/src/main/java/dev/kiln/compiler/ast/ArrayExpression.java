package dev.kiln.compiler.ast;

import java.util.List;
import java.util.function.Consumer;

/** ESTree {@code ArrayExpression}: {@code [elements]}; a hole is a null element. */
public record ArrayExpression(int start, int end, List<Node> elements) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, elements);
  }
}
