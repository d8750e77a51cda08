package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code ClassDeclaration}: A class declaration; {@code id} is null only in {@code export default class {}}. */
public record ClassDeclaration(int start, int end, Identifier id, Node superClass, ClassBody body) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, id, superClass, body);
  }
}
