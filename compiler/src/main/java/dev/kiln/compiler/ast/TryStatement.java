package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code TryStatement}: {@code try block catch handler finally finalizer}. */
public record TryStatement(int start, int end, BlockStatement block, CatchClause handler, BlockStatement finalizer) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, block, handler, finalizer);
  }
}
