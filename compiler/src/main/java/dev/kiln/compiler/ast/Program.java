package dev.kiln.compiler.ast;

import java.util.List;
import java.util.function.Consumer;

/** ESTree {@code Program}: The whole file. {@code sourceType} is "module" or "script"; {@code lines} maps offsets to line/column; {@code comments} in source order. */
public record Program(int start, int end, List<Node> body, String sourceType, LineTable lines, List<Comment> comments) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {
    Children.visit(visitor, body);
  }

  /** 1-based line of a source offset. */
  public int line(int offset) {
    return lines.line(offset);
  }

  /** 0-based column (UTF-16 units) of a source offset. */
  public int column(int offset) {
    return lines.column(offset);
  }
}
