package dev.kiln.runtime;

/** A workflow file that cannot be read: the message names the file, the step and the fix. */
public final class PlanFileException extends RuntimeException {
  PlanFileException(String message) {
    super(message);
  }

  PlanFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
