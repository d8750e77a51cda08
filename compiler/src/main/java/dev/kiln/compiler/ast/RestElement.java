package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code RestElement}: {@code ...argument} in a pattern or parameter list. */
public record RestElement(int start, int end, Node argument) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, argument);
  }
}
