package dev.kiln.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.runtime.protocol.Frame;
import dev.kiln.runtime.protocol.FrameType;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs one plan (spec §3.4): compile every step, then the breadth-first loop over steps, each
 * executed in the Node host; sends every frame of the run and exactly one {@code workflow-complete}
 * or {@code workflow-error}. States stay JSON text here; only the host parses them.
 */
final class PlanRunner {
  static final String DEFAULT_INPUT = "{\"data\":{},\"configuration\":{}}";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FALSY_JSON = Set.of("null", "false", "0", "\"\"");

  private final NodeHost host;
  private final ScrubbingFrameSink frames;
  private final StepCompiler compiler;
  private final String runtimeVersion;

  PlanRunner(NodeHost host, ScrubbingFrameSink frames, StepCompiler compiler, String runtimeVersion) {
    this.host = host;
    this.frames = frames;
    this.compiler = compiler;
    this.runtimeVersion = runtimeVersion;
  }

  /**
   * Runs the plan of a {@code run} frame; never throws for anything the plan or its code does.
   *
   * @return true when the run ended with {@code workflow-complete} (its steps may have failed),
   *     false when it ended with {@code workflow-error}
   */
  boolean run(JsonNode runMeta, String inputText) {
    long started = System.currentTimeMillis();
    frames.secrets(SecretScrubber.of(runMeta));
    RuntimeLog log = new RuntimeLog(logFrames(frames), runMeta.path("options").path("runtimeLogLevel").asText("debug"));
    ExecutionPlan plan = null;
    RunFailureException invalidPlan = null;
    try {
      plan = ExecutionPlan.from(runMeta.get("plan"));
    } catch (RunFailureException e) {
      invalidPlan = e;
    }
    try {
      send(FrameType.WORKFLOW_START, meta().set("versions", versions(plan)));
      if (invalidPlan != null) {
        throw invalidPlan;
      }
      RunOptions options = RunOptions.from(runMeta.get("options"));
      Map<String, CompiledStep> compiled = compile(plan, options, log);
      host.init(options.toHostJson(plan, runMeta.get("credentials")));
      compileConditions(plan);
      log.info("Executing " + plan.displayName());
      String result = execute(plan, compiled, empty(inputText) ? DEFAULT_INPUT : inputText, options.stepTimeoutMs(plan), log);
      warnAboutFinalState(result, log);
      send(FrameType.WORKFLOW_COMPLETE, meta().put("duration", System.currentTimeMillis() - started), result);
      return true;
    } catch (RunFailureException e) {
      if ("ValidationError".equals(e.failure().type())) {
        log.error("Error validating execution plan");
        log.error(e.getMessage());
        log.error("Aborting");
      }
      fail(e.failure());
    } catch (RuntimeException e) {
      log.error("Unexpected error in the run process: " + e);
      fail(new RunFailure("ExecutionError", String.valueOf(e.getMessage()), "crash", null));
    }
    return false;
  }

  private Map<String, CompiledStep> compile(ExecutionPlan plan, RunOptions options, RuntimeLog log) {
    long start = System.currentTimeMillis();
    send(FrameType.COMPILE_START, meta());
    Map<String, CompiledStep> compiled = new HashMap<>();
    StepCompiler stepCompiler = options.compile() ? compiler : StepCompiler.PRECOMPILED;
    String globalsSource = options.globals() != null ? options.globals() : plan.globals();
    Set<String> globals = globalsSource == null ? Set.of() : GlobalsExports.names(globalsSource);
    int fromCache = 0;
    for (PlanStep step : plan.steps().values()) {
      if (step.isJob()) {
        try {
          CompiledStep compiledStep = stepCompiler.compile(step, options.repoDir(), globals);
          if (compiledStep.fromCache()) {
            fromCache++;
            log.debug("Compiled code of step " + step.displayName() + " taken from the compile cache");
          }
          compiled.put(step.id(), compiledStep);
        } catch (RunFailureException e) {
          log.error("Error occurred during compilation");
          log.error(e.getMessage());
          if (e.detail() != null) {
            log.error(e.detail());
          }
          throw e;
        }
      }
    }
    long duration = System.currentTimeMillis() - start;
    log.info(String.format("Workflow compilation complete in %.2fs", duration / 1000.0));
    send(FrameType.COMPILE_COMPLETE, meta().put("duration", duration).put("cachedSteps", fromCache));
    return compiled;
  }

  private void compileConditions(ExecutionPlan plan) {
    try {
      JsonNode errors = JSON.readTree(host.compileConditions(JSON.writeValueAsString(plan.conditions())));
      if (!errors.isEmpty()) {
        StringBuilder message = new StringBuilder();
        errors.forEach(e -> message.append(message.isEmpty() ? "" : "\n\n").append(e.asText()));
        throw new RunFailureException("ValidationError", message.toString(), "crash", null);
      }
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The breadth-first loop; returns the final state text, or null when there is none. */
  private String execute(
      ExecutionPlan plan, Map<String, CompiledStep> compiled, String input, long stepTimeoutMs, RuntimeLog log) {
    record Pending(String stepId, String input) {}
    ArrayDeque<Pending> queue = new ArrayDeque<>();
    queue.add(new Pending(plan.start(), input));
    Map<String, Integer> executions = new HashMap<>();
    Map<String, String> leaves = new LinkedHashMap<>();
    while (!queue.isEmpty()) {
      Pending pending = queue.poll();
      PlanStep step = plan.step(pending.stepId());
      int count = executions.merge(step.id(), 1, Integer::sum) - 1;
      String executionId = count == 0 ? step.id() : step.id() + "-" + count;
      if (step.isJob()) {
        send(FrameType.STEP_START, meta().put("stepId", step.id()).put("executionId", executionId));
      }
      StepOutcome outcome = host.runStep(stepJson(step, compiled.get(step.id())), pending.input(), stepTimeoutMs);
      JsonNode result = readTree(outcome.metaJson());
      String state = outcome.stateText();
      switch (result.path("outcome").asText()) {
        case "fatal" -> {
          JsonNode fatal = result.path("fatal");
          throw new RunFailureException(fatal.path("type").asText("RuntimeCrash"), fatal.path("message").asText(),
              fatal.path("severity").asText("crash"), step.id());
        }
        case "error" -> {
          // the error state carries the error's message on to the next steps and to Lightning
          state = frames.secrets().scrub(state);
          JsonNode error = result.path("error");
          send(FrameType.STEP_ERROR, stepMeta(step, executionId, result).set("error", error), state);
          String severity = error.path("severity").asText("crash");
          if (!"fail".equals(severity)) {
            throw new RunFailureException(
                error.path("name").asText("RuntimeCrash"), error.path("message").asText(), severity, step.id());
          }
        }
        default -> {
          if (step.isJob()) {
            send(FrameType.STEP_COMPLETE, stepMeta(step, executionId, result), state);
          }
        }
      }
      List<String> next = new ArrayList<>();
      result.path("next").forEach(n -> next.add(n.asText()));
      if (!next.isEmpty() && state == null && step.isJob() && !"error".equals(result.path("outcome").asText())) {
        log.warn("WARNING: step " + step.id() + " did not return a state object. This may cause downstream jobs to fail.");
      }
      boolean isEnd = step.id().equals(plan.end());
      if (state != null && !FALSY_JSON.contains(state) && (isEnd || next.isEmpty())) {
        leaves.put(executionId, state);
      }
      if (isEnd) {
        break;
      }
      for (String n : next) {
        queue.add(new Pending(n, state));
      }
    }
    return finalState(leaves);
  }

  /** No leaf: null; one: its state; several: {@code {<executionId>: state, …}}, assembled as text. */
  private static String finalState(Map<String, String> leaves) {
    if (leaves.isEmpty()) {
      return null;
    }
    if (leaves.size() == 1) {
      return leaves.values().iterator().next();
    }
    StringBuilder all = new StringBuilder("{");
    leaves.forEach((id, text) -> all.append(all.length() > 1 ? "," : "").append(TextNode.valueOf(id)).append(':').append(text));
    return all.append('}').toString();
  }

  private static void warnAboutFinalState(String result, RuntimeLog log) {
    if (result == null) {
      log.warn("WARNING: the workflow produced no final state: no leaf step returned a state");
    } else if (!result.startsWith("{")) {
      String kind = result.startsWith("[") ? "an array" : result.startsWith("\"") ? "a string" : "the value " + abbreviate(result);
      log.warn("WARNING: the final state is " + kind + ", not an object. Make the last operation of each leaf step return the state object");
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "…" : text;
  }

  private static String stepJson(PlanStep step, CompiledStep compiled) {
    ObjectNode json = JSON.createObjectNode();
    json.put("id", step.id());
    if (step.name() != null) {
      json.put("name", step.name());
    }
    if (compiled != null) {
      json.put("expression", compiled.code());
      if (compiled.sourceMapJson() != null) {
        json.put("sourceMap", compiled.sourceMapJson());
      }
      ArrayNode operations = json.putArray("operations");
      compiled.operations().forEach(o -> operations.addObject().put("name", o.name()).put("line", o.line()));
    }
    json.set("configuration", step.configuration());
    json.set("state", step.state());
    json.set("linker", step.linker());
    ArrayNode edges = json.putArray("edges");
    for (PlanStep.Edge e : step.edges()) {
      ObjectNode edge = edges.addObject().put("to", e.to());
      if (e.constant() != null) {
        edge.put("value", e.constant());
      } else {
        edge.put("value", "condition");
      }
    }
    return json.toString();
  }

  private ObjectNode versions(ExecutionPlan plan) {
    ObjectNode versions = JSON.createObjectNode();
    versions.put("node", host.nodeVersion());
    versions.put("runtime", runtimeVersion);
    versions.put("compiler", runtimeVersion);
    if (plan != null) {
      for (PlanStep step : plan.steps().values()) {
        for (String a : step.adaptors()) {
          AdaptorSpecifier spec = AdaptorSpecifier.parse(a);
          ArrayNode list = versions.has(spec.name()) ? (ArrayNode) versions.get(spec.name()) : versions.putArray(spec.name());
          String version = spec.version() == null ? "latest" : spec.version();
          boolean seen = false;
          for (JsonNode v : list) {
            seen |= v.asText().equals(version);
          }
          if (!seen) {
            list.add(version);
          }
        }
      }
    }
    return versions;
  }

  private static ObjectNode stepMeta(PlanStep step, String executionId, JsonNode result) {
    ObjectNode meta = meta().put("stepId", step.id()).put("executionId", executionId);
    meta.put("duration", result.path("duration").asLong());
    meta.set("next", result.path("next").isArray() ? result.get("next") : JSON.createArrayNode());
    if (result.has("mem")) {
      meta.set("mem", result.get("mem"));
    }
    return meta;
  }

  private void fail(RunFailure failure) {
    ObjectNode meta = meta().put("type", failure.type()).put("message", failure.message()).put("severity", failure.severity());
    if (failure.stepId() != null) {
      meta.put("stepId", failure.stepId());
    }
    send(FrameType.WORKFLOW_ERROR, meta);
  }

  /** Log records as {@code log} frames: {@code {level, name, message: <JSON text of the args>, time}}. */
  static LogSink logFrames(FrameSink frames) {
    return (level, name, messageJson, time) -> {
      ObjectNode meta = JSON.createObjectNode().put("level", level).put("name", name).put("message", messageJson);
      frames.send(Frame.of(FrameType.LOG, meta.put("time", time).toString()));
    };
  }

  private static ObjectNode meta() {
    return JSON.createObjectNode();
  }

  private void send(String type, ObjectNode meta) {
    send(type, meta, null);
  }

  private void send(String type, ObjectNode meta, String body) {
    meta.put("time", Clock.nowNanos());
    frames.send(Frame.withBody(type, meta.toString(), body));
  }

  private static JsonNode readTree(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean empty(String text) {
    return text == null || text.isBlank();
  }
}
