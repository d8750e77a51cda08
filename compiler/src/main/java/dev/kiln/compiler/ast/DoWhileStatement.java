package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code DoWhileStatement}: {@code do body while (test)} */
public record DoWhileStatement(int start, int end, Node body, Node test) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, body, test);
  }
}
