package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code ExportAllDeclaration}: {@code export * from source} or {@code export * as exported from source}. */
public record ExportAllDeclaration(int start, int end, Node exported, Literal source) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, exported, source);
  }
}
