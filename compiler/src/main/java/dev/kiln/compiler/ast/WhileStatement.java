package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code WhileStatement}: {@code while (test) body} */
public record WhileStatement(int start, int end, Node test, Node body) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, test, body);
  }
}
