package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code Property}: An object literal or object pattern property; {@code kind} is "init", "get" or "set". */
public record Property(int start, int end, Node key, Node value, String kind, boolean method, boolean shorthand, boolean computed) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, key, value);
  }
}
