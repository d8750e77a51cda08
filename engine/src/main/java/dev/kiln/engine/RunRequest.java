package dev.kiln.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One run to execute.
 *
 * @param plan the execution plan ({@code id}, {@code workflow: {steps}}, {@code options}); step
 *     adaptors are installed and string {@code configuration}s resolved before the run starts
 * @param inputState the input state as JSON text, or null for {@code {}}
 * @param limits memory, time and size limits
 * @param runtimeOptions options for the runtime, passed on as they are ({@code sanitize},
 *     {@code jobLogLevel}, ...); the supervisor adds the limits it owns
 * @param credentials resolves string step configurations
 */
public record RunRequest(
    ObjectNode plan,
    String inputState,
    RunLimits limits,
    ObjectNode runtimeOptions,
    CredentialResolver credentials) {
  public RunRequest {
    Objects.requireNonNull(plan, "plan");
    limits = limits == null ? RunLimits.defaults() : limits;
    runtimeOptions = runtimeOptions == null ? JsonNodeFactory.instance.objectNode() : runtimeOptions;
    credentials = credentials == null ? CredentialResolver.none() : credentials;
  }

  /** A plan with the default limits, no runtime options and no credentials. */
  public static RunRequest of(ObjectNode plan, String inputState) {
    return new RunRequest(plan, inputState, null, null, null);
  }

  public RunRequest withLimits(RunLimits newLimits) {
    return new RunRequest(plan, inputState, newLimits, runtimeOptions, credentials);
  }

  public RunRequest withCredentials(CredentialResolver resolver) {
    return new RunRequest(plan, inputState, limits, runtimeOptions, resolver);
  }

  /** The plan's id, the {@code workflowId} of its events. */
  public String planId() {
    return plan.path("id").asText("");
  }
}
