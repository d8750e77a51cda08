package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code ForOfStatement}: {@code for (left of right) body}; {@code await} for {@code for await}. */
public record ForOfStatement(int start, int end, Node left, Node right, Node body, boolean await) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, left, right, body);
  }
}
