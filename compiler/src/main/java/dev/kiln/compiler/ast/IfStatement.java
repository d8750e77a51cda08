package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code IfStatement}: {@code if (test) consequent else alternate} (alternate may be null). */
public record IfStatement(int start, int end, Node test, Node consequent, Node alternate) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, test, consequent, alternate);
  }
}
