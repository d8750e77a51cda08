package dev.kiln.compiler.ast;

import java.util.List;
import java.util.function.Consumer;

/** ESTree {@code FunctionDeclaration}: A function declaration; {@code id} is null only in {@code export default function () {}}. */
public record FunctionDeclaration(int start, int end, Identifier id, List<Node> params, BlockStatement body, boolean generator, boolean async) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, id, params, body);
  }

  /** ESTree's {@code expression}: always false, the body is a block. */
  public boolean expression() {
    return false;
  }
}
