package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code ExpressionStatement}: An expression statement. {@code directive} is the raw string (without quotes) for a directive prologue entry such as "use strict", else null. */
public record ExpressionStatement(int start, int end, Node expression, String directive) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, expression);
  }
}
