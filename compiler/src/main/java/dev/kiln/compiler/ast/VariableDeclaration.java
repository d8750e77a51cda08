package dev.kiln.compiler.ast;

import java.util.List;
import java.util.function.Consumer;

/** ESTree {@code VariableDeclaration}: {@code kind declarations;} with kind "var", "let" or "const". */
public record VariableDeclaration(int start, int end, List<VariableDeclarator> declarations, String kind) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, declarations);
  }
}
