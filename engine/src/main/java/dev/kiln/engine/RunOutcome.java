package dev.kiln.engine;

import dev.kiln.runtime.protocol.Body;

/**
 * How a run ended, as its final event said.
 *
 * @param reason {@code success}, {@code fail} (the workflow completed but a leaf step failed),
 *     or the failure's severity ({@code crash}, {@code kill}, {@code exception})
 * @param finalBody the final state as JSON text when the workflow completed, else null
 * @param failure why the run did not complete, else null
 * @param durationMs from the call to {@link RunSupervisor#run} to the final event
 * @param peakRssMb the highest resident set size of the run process seen, in MB (0 when none ran)
 */
public record RunOutcome(
    String reason, Body finalBody, RunFailure failure, long durationMs, long peakRssMb) {
  /** The final state as text (a large one is read from its file whole), or null. */
  public String finalState() {
    return finalBody == null ? null : finalBody.text();
  }

  public boolean completed() {
    return failure == null;
  }
}
