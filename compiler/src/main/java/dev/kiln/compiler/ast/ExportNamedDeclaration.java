package dev.kiln.compiler.ast;

import java.util.List;
import java.util.function.Consumer;

/** ESTree {@code ExportNamedDeclaration}: {@code export declaration} or {@code export { specifiers } from source}. */
public record ExportNamedDeclaration(int start, int end, Node declaration, List<ExportSpecifier> specifiers, Literal source) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, declaration, specifiers, source);
  }
}
