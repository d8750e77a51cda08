package dev.kiln.compiler.ast;

import java.util.List;
import java.util.function.Consumer;

/** ESTree {@code NewExpression}: {@code new callee(arguments)} */
public record NewExpression(int start, int end, Node callee, List<Node> arguments) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, callee, arguments);
  }
}
