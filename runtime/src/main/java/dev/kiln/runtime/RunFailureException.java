package dev.kiln.runtime;

/** Thrown by plan preparation when the run cannot start; carries the {@code workflow-error} fields. */
final class RunFailureException extends RuntimeException {
  private final RunFailure failure;

  RunFailureException(String type, String message, String severity, String stepId) {
    super(message);
    this.failure = new RunFailure(type, message, severity, stepId);
  }

  RunFailure failure() {
    return failure;
  }
}
