package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code ReturnStatement}: {@code return argument;} (argument may be null). */
public record ReturnStatement(int start, int end, Node argument) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, argument);
  }
}
