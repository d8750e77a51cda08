package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code TemplateElement}: A template chunk; {@code cooked} is null for an invalid escape in a tagged template. */
public record TemplateElement(int start, int end, String raw, String cooked, boolean tail) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {}
}
