package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code PropertyDefinition}: A class field {@code key = value} (value may be null). ESTree names the field {@code static}; here it is {@code isStatic}. */
public record PropertyDefinition(int start, int end, Node key, Node value, boolean computed, boolean isStatic) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, key, value);
  }
}
