package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code Super}: {@code super} (callee or object of a member expression). */
public record Super(int start, int end) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {}
}
