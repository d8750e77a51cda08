package dev.kiln.engine;

/**
 * How a run ended, as its final event said.
 *
 * @param reason {@code success}, {@code fail} (the workflow completed but a leaf step failed),
 *     or the failure's severity ({@code crash}, {@code kill}, {@code exception})
 * @param finalState the final state as JSON text when the workflow completed, else null
 * @param failure why the run did not complete, else null
 * @param durationMs from the call to {@link RunSupervisor#run} to the final event
 * @param peakRssMb the highest resident set size of the run process seen, in MB (0 when none ran)
 */
public record RunOutcome(
    String reason, String finalState, RunFailure failure, long durationMs, long peakRssMb) {
  public boolean completed() {
    return failure == null;
  }
}
