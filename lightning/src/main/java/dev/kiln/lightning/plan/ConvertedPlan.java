package dev.kiln.lightning.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Lightning plan converted for the engine.
 *
 * @param plan the execution plan: {@code {id, workflow: {steps, name?, globals?, credentials?},
 *     options: {start?}}}
 * @param dataclipId the run's {@code dataclip_id} (fetch it with {@code fetch:dataclip}), or
 *     null: the input is {@code {}}
 * @param options the plan's {@code options} as Lightning sent them ({@code {}} if none); {@link
 *     #runOptions()} reads them
 */
public record ConvertedPlan(ObjectNode plan, String dataclipId, ObjectNode options) {
  public RunOptions runOptions() {
    return RunOptions.from(options);
  }
}
