package dev.kiln.compiler.ast;

import java.util.List;
import java.util.function.Consumer;

/** ESTree {@code ClassBody}: The body of a class: MethodDefinition, PropertyDefinition and StaticBlock nodes. */
public record ClassBody(int start, int end, List<Node> body) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, body);
  }
}
