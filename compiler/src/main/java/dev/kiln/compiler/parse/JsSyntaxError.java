package dev.kiln.compiler.parse;

/**
 * A syntax error in JavaScript source, acorn style: the message ends with {@code (line:column)},
 * 1-based line and 0-based column (UTF-16 units); {@link #pos()} is the 0-based offset.
 */
public final class JsSyntaxError extends RuntimeException {
  private final String description;
  private final int pos;
  private final int line;
  private final int column;

  JsSyntaxError(String description, int pos, int line, int column) {
    super(description + " (" + line + ":" + column + ")", null, false, false);
    this.description = description;
    this.pos = pos;
    this.line = line;
    this.column = column;
  }

  /** The message without the position suffix, e.g. {@code "Unexpected token"}. */
  public String description() {
    return description;
  }

  public int pos() {
    return pos;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}
