package dev.kiln.compiler.ast;

import java.util.List;
import java.util.function.Consumer;

/** ESTree {@code TemplateLiteral}: A template literal; quasis and expressions alternate, starting and ending with a quasi. */
public record TemplateLiteral(int start, int end, List<TemplateElement> quasis, List<Node> expressions) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, quasis, expressions);
  }
}
