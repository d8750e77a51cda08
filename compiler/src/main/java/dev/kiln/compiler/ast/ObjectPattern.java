package dev.kiln.compiler.ast;

import java.util.List;
import java.util.function.Consumer;

/** ESTree {@code ObjectPattern}: A destructuring object pattern: Property (value is the target) and RestElement nodes. */
public record ObjectPattern(int start, int end, List<Node> properties) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, properties);
  }
}
