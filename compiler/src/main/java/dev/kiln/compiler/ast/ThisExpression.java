package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code ThisExpression}: {@code this} */
public record ThisExpression(int start, int end) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {}
}
