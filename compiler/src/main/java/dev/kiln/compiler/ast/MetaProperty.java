package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code MetaProperty}: {@code new.target} or {@code import.meta}. */
public record MetaProperty(int start, int end, Identifier meta, Identifier property) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, meta, property);
  }
}
