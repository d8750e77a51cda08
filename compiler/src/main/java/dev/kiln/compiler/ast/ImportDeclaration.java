package dev.kiln.compiler.ast;

import java.util.List;
import java.util.function.Consumer;

/** ESTree {@code ImportDeclaration}: {@code import specifiers from source}. */
public record ImportDeclaration(int start, int end, List<Node> specifiers, Literal source) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, specifiers, source);
  }
}
