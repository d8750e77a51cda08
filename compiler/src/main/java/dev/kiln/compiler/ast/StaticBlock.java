package dev.kiln.compiler.ast;

import java.util.List;
import java.util.function.Consumer;

/** ESTree {@code StaticBlock}: {@code static { body }} in a class body. */
public record StaticBlock(int start, int end, List<Node> body) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, body);
  }
}
