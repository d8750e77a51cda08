package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code ExportSpecifier}: {@code local as exported} (either may be a string Literal). */
public record ExportSpecifier(int start, int end, Node local, Node exported) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, local, exported);
  }
}
