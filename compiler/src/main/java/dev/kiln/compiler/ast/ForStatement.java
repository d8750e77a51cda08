package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code ForStatement}: {@code for (init; test; update) body}; each header part may be null. */
public record ForStatement(int start, int end, Node init, Node test, Node update, Node body) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, init, test, update, body);
  }
}
