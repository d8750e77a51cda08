package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code CatchClause}: {@code catch (param) body}; param may be null (optional catch binding). */
public record CatchClause(int start, int end, Node param, BlockStatement body) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, param, body);
  }
}
