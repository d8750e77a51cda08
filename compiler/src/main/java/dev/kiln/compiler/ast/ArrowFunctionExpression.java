package dev.kiln.compiler.ast;

import java.util.List;
import java.util.function.Consumer;

/** ESTree {@code ArrowFunctionExpression}: {@code (params) => body}; {@code expression} when the body is an expression, not a block. */
public record ArrowFunctionExpression(int start, int end, List<Node> params, Node body, boolean async, boolean expression) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, params, body);
  }

  /** ESTree's {@code id}: always null for an arrow. */
  public Identifier id() {
    return null;
  }

  /** ESTree's {@code generator}: always false for an arrow. */
  public boolean generator() {
    return false;
  }
}
