package dev.kiln.runtime;

/** Thrown by plan preparation when the run cannot start; carries the {@code workflow-error} fields. */
final class RunFailureException extends RuntimeException {
  private final RunFailure failure;
  private final String detail;

  RunFailureException(String type, String message, String severity, String stepId) {
    this(type, message, severity, stepId, null);
  }

  /** @param detail extra lines for the log (a code frame, a hint), or null */
  RunFailureException(String type, String message, String severity, String stepId, String detail) {
    super(message);
    this.failure = new RunFailure(type, message, severity, stepId);
    this.detail = detail;
  }

  RunFailure failure() {
    return failure;
  }

  String detail() {
    return detail;
  }
}
