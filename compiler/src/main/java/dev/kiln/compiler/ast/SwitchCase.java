package dev.kiln.compiler.ast;

import java.util.List;
import java.util.function.Consumer;

/** ESTree {@code SwitchCase}: {@code case test: consequent} ({@code test} null for {@code default}). */
public record SwitchCase(int start, int end, Node test, List<Node> consequent) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, test, consequent);
  }
}
