package dev.kiln.compiler;

/**
 * Job code that cannot be compiled. The message is {@code "<description> (<line>:<col>)"}
 * (1-based line, 0-based column, as the reference reports them); {@link #codeFrame()} shows the
 * offending lines with a caret.
 */
public final class CompileError extends RuntimeException {
  private final int line;
  private final int column;
  private final String codeFrame;
  private final String details;

  CompileError(String message, int line, int column, String codeFrame, String details) {
    super(message);
    this.line = line;
    this.column = column;
    this.codeFrame = codeFrame;
    this.details = details;
  }

  /** The 1-based line of the error. */
  public int line() {
    return line;
  }

  /** The 0-based column of the error. */
  public int column() {
    return column;
  }

  /** A few source lines around the error with a caret under the column; empty if unknown. */
  public String codeFrame() {
    return codeFrame;
  }

  /** A longer explanation (the reference's {@code details}), or {@code null}. */
  public String details() {
    return details;
  }
}
