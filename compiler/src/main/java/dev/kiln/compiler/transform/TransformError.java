package dev.kiln.compiler.transform;

/** Job code a transform cannot compile; {@code offset} is where in the source, {@code details} explains. */
public final class TransformError extends RuntimeException {
  private final int offset;
  private final String details;

  TransformError(String message, int offset, String details) {
    super(message, null, false, false);
    this.offset = offset;
    this.details = details;
  }

  public int offset() {
    return offset;
  }

  public String details() {
    return details;
  }
}
