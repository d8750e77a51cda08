package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code SpreadElement}: {@code ...argument} in arrays, calls and object literals. */
public record SpreadElement(int start, int end, Node argument) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, argument);
  }
}
