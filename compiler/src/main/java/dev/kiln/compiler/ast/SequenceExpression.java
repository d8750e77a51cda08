package dev.kiln.compiler.ast;

import java.util.List;
import java.util.function.Consumer;

/** ESTree {@code SequenceExpression}: {@code a, b, c} */
public record SequenceExpression(int start, int end, List<Node> expressions) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, expressions);
  }
}
