package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code MethodDefinition}: A class method, getter, setter or constructor; {@code kind} is "constructor", "method", "get" or "set". ESTree names the field {@code static}; here it is {@code isStatic}. */
public record MethodDefinition(int start, int end, Node key, FunctionExpression value, String kind, boolean computed, boolean isStatic) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, key, value);
  }
}
