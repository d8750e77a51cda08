package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code BinaryExpression}: {@code left operator right}; {@code left} is a PrivateIdentifier in {@code #x in obj}. */
public record BinaryExpression(int start, int end, Node left, String operator, Node right) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, left, right);
  }
}
