package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code PrivateIdentifier}: {@code #name} in a class body or member access; {@code name} excludes the {@code #}. */
public record PrivateIdentifier(int start, int end, String name) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {}
}
