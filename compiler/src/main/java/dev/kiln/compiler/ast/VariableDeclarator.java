package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code VariableDeclarator}: {@code id = init} (init may be null). */
public record VariableDeclarator(int start, int end, Node id, Node init) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, id, init);
  }
}
