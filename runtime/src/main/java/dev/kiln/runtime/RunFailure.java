package dev.kiln.runtime;

/**
 * A reason the whole run stops, reported as the {@code workflow-error} frame.
 *
 * @param type the error class ({@code ValidationError}, {@code CompileError}, {@code RuntimeCrash}, …)
 * @param message what went wrong, naming the step where there is one
 * @param severity crash, kill or exception
 * @param stepId the step to blame, or null
 */
record RunFailure(String type, String message, String severity, String stepId) {}
