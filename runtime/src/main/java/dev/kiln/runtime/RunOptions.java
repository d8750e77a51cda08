package dev.kiln.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The {@code run} frame's {@code options} (documented in the module README), with defaults applied. */
record RunOptions(
    double stateLimitMb,
    Long stepTimeoutMs,
    JsonNode statePropsToRemove,
    String sanitize,
    String jobLogLevel,
    String runtimeLogLevel,
    Path repoDir,
    JsonNode whitelist,
    boolean immutableState,
    String globals,
    boolean compile) {

  private static final Set<String> SANITIZE = Set.of("none", "remove", "obfuscate", "summarize");
  private static final Set<String> LEVELS = Set.of("debug", "info", "default", "none", "none-really");

  static RunOptions from(JsonNode options) {
    JsonNode o = options == null || !options.isObject() ? JsonNodeFactory.instance.objectNode() : options;
    JsonNode remove = o.get("statePropsToRemove");
    JsonNode whitelist = o.get("whitelist");
    RunOptions parsed = new RunOptions(
        o.path("stateLimitMb").isNumber() ? o.get("stateLimitMb").asDouble() : 500,
        o.path("stepTimeoutMs").isNumber() ? o.get("stepTimeoutMs").asLong() : null,
        remove != null && remove.isArray() ? remove : JsonNodeFactory.instance.arrayNode().add("configuration"),
        o.path("sanitize").asText("none"),
        o.path("jobLogLevel").asText("debug"),
        o.path("runtimeLogLevel").asText("debug"),
        o.path("repoDir").isTextual() ? Path.of(o.get("repoDir").asText()) : null,
        whitelist != null && whitelist.isArray() ? whitelist : JsonNodeFactory.instance.arrayNode().add("/^@openfn/"),
        o.path("immutableState").asBoolean(false),
        o.path("globals").isTextual() ? o.get("globals").asText() : null,
        o.path("compile").asBoolean(true));
    if (!SANITIZE.contains(parsed.sanitize)) {
      throw new RunFailureException("ValidationError",
          "Unknown sanitize value provided: " + parsed.sanitize + " (use none, remove, obfuscate or summarize)",
          "crash", null);
    }
    for (String level : List.of(parsed.jobLogLevel, parsed.runtimeLogLevel)) {
      if (!LEVELS.contains(level)) {
        throw new RunFailureException("ValidationError",
            "Unknown log level: " + level + " (use debug, info, default or none)", "crash", null);
      }
    }
    return parsed;
  }

  /** The per-step timeout: the plan's {@code options.timeout}, else {@code stepTimeoutMs}; 0: none. */
  long stepTimeoutMs(ExecutionPlan plan) {
    Long timeout = plan.timeoutMs() != null ? plan.timeoutMs() : stepTimeoutMs;
    return timeout == null ? 0 : timeout;
  }

  /** The options object the host's {@code init} takes. */
  String toHostJson(ExecutionPlan plan, JsonNode credentials) {
    ObjectNode host = JsonNodeFactory.instance.objectNode();
    host.set("credentials", credentials != null && credentials.isObject() ? credentials : host.objectNode());
    if (plan.credentials() != null) {
      host.set("workflowCredentials", plan.credentials());
    }
    String globalsSource = globals != null ? globals : plan.globals();
    if (globalsSource != null) {
      host.put("globals", globalsSource);
    }
    host.put("timeoutMs", stepTimeoutMs(plan));
    host.set("statePropsToRemove", statePropsToRemove);
    host.put("stateLimitMb", stateLimitMb);
    host.put("immutableState", immutableState);
    host.set("whitelist", whitelist instanceof ArrayNode ? whitelist : host.arrayNode());
    if (repoDir != null) {
      host.put("repoDir", repoDir.toString());
    }
    host.put("sanitize", sanitize);
    host.put("jobLogLevel", jobLogLevel);
    host.put("runtimeLogLevel", runtimeLogLevel);
    return host.toString();
  }
}
