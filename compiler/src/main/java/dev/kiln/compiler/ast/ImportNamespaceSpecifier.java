package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code ImportNamespaceSpecifier}: {@code import * as local from ...} */
public record ImportNamespaceSpecifier(int start, int end, Identifier local) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, local);
  }
}
