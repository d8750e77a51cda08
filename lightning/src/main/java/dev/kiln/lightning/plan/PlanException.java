package dev.kiln.lightning.plan;

/** A Lightning plan that cannot be converted; the message names the job/edge and the problem. */
public final class PlanException extends RuntimeException {
  public PlanException(String message) {
    super(message);
  }
}
