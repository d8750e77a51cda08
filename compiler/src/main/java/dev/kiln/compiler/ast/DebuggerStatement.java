package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code DebuggerStatement}: {@code debugger;} */
public record DebuggerStatement(int start, int end) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {}
}
