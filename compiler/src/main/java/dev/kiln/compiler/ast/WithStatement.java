package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code WithStatement}: {@code with (object) body} (scripts only). */
public record WithStatement(int start, int end, Node object, Node body) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, object, body);
  }
}
