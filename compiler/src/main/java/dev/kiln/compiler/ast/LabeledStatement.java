package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code LabeledStatement}: {@code label: body} */
public record LabeledStatement(int start, int end, Identifier label, Node body) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, label, body);
  }
}
