package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code BreakStatement}: {@code break label;} (label may be null). */
public record BreakStatement(int start, int end, Identifier label) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, label);
  }
}
