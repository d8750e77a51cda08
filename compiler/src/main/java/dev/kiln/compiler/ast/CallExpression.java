package dev.kiln.compiler.ast;

import java.util.List;
import java.util.function.Consumer;

/** ESTree {@code CallExpression}: {@code callee(arguments)}; {@code callee?.(arguments)} when optional. */
public record CallExpression(int start, int end, Node callee, List<Node> arguments, boolean optional) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, callee, arguments);
  }
}
