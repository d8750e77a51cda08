package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code ForInStatement}: {@code for (left in right) body} */
public record ForInStatement(int start, int end, Node left, Node right, Node body) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, left, right, body);
  }
}
