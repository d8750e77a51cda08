package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code MemberExpression}: {@code object.property}, {@code object[property]} when computed, {@code object?.property} when optional. */
public record MemberExpression(int start, int end, Node object, Node property, boolean computed, boolean optional) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, object, property);
  }
}
