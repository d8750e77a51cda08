package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code ImportDefaultSpecifier}: {@code import local from ...} */
public record ImportDefaultSpecifier(int start, int end, Identifier local) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, local);
  }
}
