package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code UpdateExpression}: {@code ++x}, {@code x--} etc. */
public record UpdateExpression(int start, int end, String operator, boolean prefix, Node argument) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, argument);
  }
}
