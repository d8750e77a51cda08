package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code ThrowStatement}: {@code throw argument;} */
public record ThrowStatement(int start, int end, Node argument) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, argument);
  }
}
