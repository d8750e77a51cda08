package dev.kiln.runtime;

/**
 * What the Node host reports for one step.
 *
 * @param metaJson {@code {outcome: complete|error|fatal, next, duration, mem, error?, fatal?}}
 * @param stateText the step's output state as JSON text, or {@code null} when there is none
 */
record StepOutcome(String metaJson, String stateText) {}
