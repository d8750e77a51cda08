package dev.kiln.compiler.ast;

import java.util.List;
import java.util.function.Consumer;

/** ESTree {@code FunctionExpression}: A function expression, also the value of methods, getters and setters. */
public record FunctionExpression(int start, int end, Identifier id, List<Node> params, BlockStatement body, boolean generator, boolean async) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, id, params, body);
  }

  /** ESTree's {@code expression}: always false, the body is a block. */
  public boolean expression() {
    return false;
  }
}
