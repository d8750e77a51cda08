package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code UnaryExpression}: {@code operator argument} for {@code - + ! ~ typeof void delete}. */
public record UnaryExpression(int start, int end, String operator, Node argument) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, argument);
  }

  /** ESTree's {@code prefix}: always true for a unary operator. */
  public boolean prefix() {
    return true;
  }
}
