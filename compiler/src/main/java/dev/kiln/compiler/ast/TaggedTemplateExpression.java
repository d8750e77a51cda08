package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code TaggedTemplateExpression}: {@code tag`quasi`} */
public record TaggedTemplateExpression(int start, int end, Node tag, TemplateLiteral quasi) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, tag, quasi);
  }
}
