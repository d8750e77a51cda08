package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code PureLiteral}: Kiln's large-literal node: an object or array literal made only of literals, kept as a span of the source and never expanded into nodes. Its text is {@code source.substring(start, end)}. */
public record PureLiteral(int start, int end, Kind kind) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {}

  /** Which literal it is. */
  public enum Kind { OBJECT, ARRAY }

  @Override
  public String type() {
    return kind == Kind.OBJECT ? "ObjectExpression" : "ArrayExpression";
  }
}
