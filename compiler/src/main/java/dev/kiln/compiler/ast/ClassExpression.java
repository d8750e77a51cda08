package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code ClassExpression}: A class expression. */
public record ClassExpression(int start, int end, Identifier id, Node superClass, ClassBody body) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, id, superClass, body);
  }
}
