package dev.kiln.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.protocol.Body;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One run to execute.
 *
 * @param plan the execution plan ({@code id}, {@code workflow: {steps}}, {@code options}); step
 *     adaptors are installed and string {@code configuration}s resolved before the run starts
 * @param input the input state as JSON text (in memory or a file), or null for {@code {}}
 * @param limits memory, time and size limits
 * @param runtimeOptions options for the runtime, passed on as they are ({@code sanitize},
 *     {@code jobLogLevel}, ...); the supervisor adds the limits it owns
 * @param credentials resolves string step configurations
 * @param spillDir where states over {@code FrameReader.SPILL_THRESHOLD_BYTES} that the run process
 *     sends are written (files the caller owns and deletes with the folder), or null to keep
 *     them in memory
 */
public record RunRequest(
    ObjectNode plan,
    Body input,
    RunLimits limits,
    ObjectNode runtimeOptions,
    CredentialResolver credentials,
    Path spillDir) {
  public RunRequest {
    Objects.requireNonNull(plan, "plan");
    input = input == null || input.isEmpty() ? Body.ofText("{}") : input;
    limits = limits == null ? RunLimits.defaults() : limits;
    runtimeOptions = runtimeOptions == null ? JsonNodeFactory.instance.objectNode() : runtimeOptions;
    credentials = credentials == null ? CredentialResolver.none() : credentials;
  }

  /** A run whose states stay in memory; {@code inputState} is JSON text, or null for {@code {}}. */
  public RunRequest(ObjectNode plan, String inputState, RunLimits limits, ObjectNode runtimeOptions,
      CredentialResolver credentials) {
    this(plan, Body.ofText(inputState), limits, runtimeOptions, credentials, null);
  }

  /** A plan with the default limits, no runtime options and no credentials. */
  public static RunRequest of(ObjectNode plan, String inputState) {
    return new RunRequest(plan, inputState, null, null, null);
  }

  public RunRequest withLimits(RunLimits newLimits) {
    return new RunRequest(plan, input, newLimits, runtimeOptions, credentials, spillDir);
  }

  public RunRequest withCredentials(CredentialResolver resolver) {
    return new RunRequest(plan, input, limits, runtimeOptions, resolver, spillDir);
  }

  /** The plan's id, the {@code workflowId} of its events. */
  public String planId() {
    return plan.path("id").asText("");
  }
}
