package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code ImportSpecifier}: {@code imported as local} ({@code imported} is an Identifier or a string Literal). */
public record ImportSpecifier(int start, int end, Node imported, Identifier local) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, imported, local);
  }
}
