package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code ConditionalExpression}: {@code test ? consequent : alternate} */
public record ConditionalExpression(int start, int end, Node test, Node consequent, Node alternate) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, test, consequent, alternate);
  }
}
