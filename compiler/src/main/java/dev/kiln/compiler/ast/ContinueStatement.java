package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code ContinueStatement}: {@code continue label;} (label may be null). */
public record ContinueStatement(int start, int end, Identifier label) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, label);
  }
}
