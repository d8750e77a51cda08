package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code Identifier}: An identifier; {@code name} is the decoded name (unicode escapes resolved). */
public record Identifier(int start, int end, String name) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {}
}
