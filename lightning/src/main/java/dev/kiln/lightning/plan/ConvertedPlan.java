package dev.kiln.lightning.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Lightning plan converted for the engine.
 *
 * @param plan the execution plan: {@code {id, workflow: {steps, name?, globals?, credentials?},
 *     options: {start?}}}
 * @param options the run options Lightning sent
 * @param inputDataclipId the run's {@code dataclip_id} (fetch it with {@code fetch:dataclip}), or
 *     null: the input is {@code {}}
 */
public record ConvertedPlan(ObjectNode plan, RunOptions options, String inputDataclipId) {}
