package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code EmptyStatement}: {@code ;} */
public record EmptyStatement(int start, int end) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {}
}
