package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code ExportDefaultDeclaration}: {@code export default declaration} */
public record ExportDefaultDeclaration(int start, int end, Node declaration) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, declaration);
  }
}
