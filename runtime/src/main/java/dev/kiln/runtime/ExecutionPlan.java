package dev.kiln.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A plan normalised from any of the accepted shapes (spec §3.2, §6): wrapped
 * {@code {workflow, options}}, flat {@code {id, steps, start, options}} or legacy {@code {jobs}},
 * and validated (§3.3): start, edge targets, no cycles.
 */
final class ExecutionPlan {
  private final String id;
  private final String name;
  private final Map<String, PlanStep> steps;
  private final String start;
  private final String end;
  private final Long timeoutMs;
  private final String globals;
  private final JsonNode credentials;

  private ExecutionPlan(
      String id, String name, Map<String, PlanStep> steps, String start, String end, Long timeoutMs,
      String globals, JsonNode credentials) {
    this.id = id;
    this.name = name;
    this.steps = steps;
    this.start = start;
    this.end = end;
    this.timeoutMs = timeoutMs;
    this.globals = globals;
    this.credentials = credentials;
  }

  /** The name the runtime logs ({@code Executing <name>}): the workflow name, else the plan id. */
  String displayName() {
    return name != null ? name : id != null ? id : "workflow";
  }

  Map<String, PlanStep> steps() {
    return steps;
  }

  PlanStep step(String stepId) {
    return steps.get(stepId);
  }

  String start() {
    return start;
  }

  String end() {
    return end;
  }

  Long timeoutMs() {
    return timeoutMs;
  }

  String globals() {
    return globals;
  }

  JsonNode credentials() {
    return credentials;
  }

  /** Normalises and validates a plan; failures are {@code ValidationError}s with the reference's messages. */
  static ExecutionPlan from(JsonNode plan) {
    if (plan == null || !plan.isObject()) {
      throw invalid("The plan must be a JSON object with a \"workflow\" or \"steps\"");
    }
    JsonNode workflow;
    ObjectNode options = JsonNodeFactory.instance.objectNode();
    String planId = text(plan.get("id"));
    if (plan.has("workflow")) {
      workflow = plan.get("workflow");
      if (plan.get("options") instanceof ObjectNode o) {
        options.setAll(o);
      }
    } else if (plan.has("jobs")) {
      ObjectNode w = JsonNodeFactory.instance.objectNode();
      w.set("steps", plan.get("jobs"));
      workflow = w;
      if (plan.has("start")) {
        options.set("start", plan.get("start"));
      }
    } else {
      workflow = plan;
      if (plan.get("options") instanceof ObjectNode o) {
        options.setAll(o);
      }
      if (plan.has("start")) {
        options.set("start", plan.get("start"));
      }
    }
    if (workflow == null || !workflow.isObject() || !workflow.path("steps").isArray()) {
      throw invalid("The plan has no steps: expected \"workflow.steps\" (or \"steps\") to be an array");
    }
    if (workflow.path("steps").isEmpty()) {
      throw invalid("The plan has no steps: add at least one step to \"steps\"");
    }
    if (planId == null) {
      planId = text(workflow.get("id"));
    }
    Map<String, PlanStep> steps = new LinkedHashMap<>();
    int autoId = 0;
    for (JsonNode s : workflow.path("steps")) {
      String stepId = text(s.get("id"));
      if (stepId == null) {
        stepId = "job-" + ++autoId;
      }
      if (steps.put(stepId, step(stepId, s)) != null) {
        throw invalid("Duplicate step id: " + stepId + " (every step needs its own id)");
      }
    }
    String explicitStart = text(options.get("start"));
    if (explicitStart != null && !steps.containsKey(explicitStart)) {
      throw invalid("Could not find start job: " + explicitStart);
    }
    for (PlanStep s : steps.values()) {
      for (PlanStep.Edge e : s.edges()) {
        if (!steps.containsKey(e.to())) {
          throw invalid("Cannot find job: " + e.to());
        }
      }
    }
    assertNoCycles(steps);
    String start = explicitStart != null ? explicitStart : text(workflow.get("start"));
    if (start == null) {
      start = steps.keySet().iterator().next();
    } else if (!steps.containsKey(start)) {
      throw invalid("Could not find start job: " + start);
    }
    JsonNode timeout = options.get("timeout");
    return new ExecutionPlan(
        planId,
        text(workflow.get("name")),
        Collections.unmodifiableMap(steps),
        start,
        text(options.get("end")),
        timeout != null && timeout.isNumber() ? timeout.asLong() : null,
        workflow.path("globals").isTextual() ? workflow.get("globals").asText() : null,
        workflow.path("credentials").isObject() ? workflow.get("credentials") : null);
  }

  private static PlanStep step(String stepId, JsonNode s) {
    List<String> adaptors = new ArrayList<>();
    if (s.path("adaptors").isArray()) {
      s.get("adaptors").forEach(a -> adaptors.add(a.asText()));
    } else if (s.path("adaptor").isTextual()) {
      adaptors.add(s.get("adaptor").asText());
    }
    JsonNode linker = s.get("linker");
    if (linker == null || !linker.isObject()) {
      ObjectNode fromAdaptors = JsonNodeFactory.instance.objectNode();
      for (String a : adaptors) {
        AdaptorSpecifier spec = AdaptorSpecifier.parse(a);
        ObjectNode entry = fromAdaptors.putObject(spec.name());
        if (spec.version() != null) {
          entry.put("version", spec.version());
        }
      }
      linker = fromAdaptors;
    }
    JsonNode configuration = s.get("configuration");
    JsonNode state = s.get("state");
    return new PlanStep(
        stepId,
        text(s.get("name")),
        s.path("expression").isTextual() ? s.get("expression").asText() : null,
        List.copyOf(adaptors),
        configuration == null || configuration.isNull() ? null : configuration,
        state == null || state.isNull() ? null : state,
        linker,
        edges(s.get("next")));
  }

  /** Edges in the order a JS object would enumerate them: integer-like keys ascending, then insertion order. */
  private static List<PlanStep.Edge> edges(JsonNode next) {
    List<PlanStep.Edge> edges = new ArrayList<>();
    if (next == null || next.isNull()) {
      return edges;
    }
    if (next.isTextual()) {
      edges.add(new PlanStep.Edge(next.asText(), Boolean.TRUE, null));
      return edges;
    }
    List<String> keys = new ArrayList<>();
    next.fieldNames().forEachRemaining(keys::add);
    List<String> ordered = new ArrayList<>(keys.stream().filter(ExecutionPlan::isArrayIndex)
        .sorted((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b))).toList());
    keys.stream().filter(k -> !isArrayIndex(k)).forEach(ordered::add);
    for (String to : ordered) {
      JsonNode edge = next.get(to);
      if (edge.isBoolean()) {
        edges.add(new PlanStep.Edge(to, edge.asBoolean(), null));
      } else if (edge.isTextual()) {
        edges.add(new PlanStep.Edge(to, null, edge.asText()));
      } else if (edge.isObject()) {
        boolean disabled = edge.path("disabled").asBoolean(false);
        JsonNode condition = edge.get("condition");
        if (disabled || condition == null || condition.isNull()) {
          edges.add(new PlanStep.Edge(to, Boolean.FALSE, null));
        } else if (condition.isBoolean()) {
          edges.add(new PlanStep.Edge(to, condition.asBoolean(), null));
        } else {
          edges.add(new PlanStep.Edge(to, null, condition.asText()));
        }
      } else {
        edges.add(new PlanStep.Edge(to, Boolean.FALSE, null));
      }
    }
    return edges;
  }

  private static boolean isArrayIndex(String key) {
    return key.matches("0|[1-9][0-9]{0,9}") && Long.parseLong(key) < 4294967295L;
  }

  /** DFS over the downstream graph: an edge back to a step on the current path is a cycle. */
  private static void assertNoCycles(Map<String, PlanStep> steps) {
    Set<String> done = new HashSet<>();
    for (String root : steps.keySet()) {
      visit(root, steps, new ArrayList<>(), done);
    }
  }

  private static void visit(String id, Map<String, PlanStep> steps, List<String> path, Set<String> done) {
    if (done.contains(id)) {
      return;
    }
    path.add(id);
    for (PlanStep.Edge e : steps.get(id).edges()) {
      if (path.contains(e.to())) {
        throw invalid("Circular dependency: " + id + " <-> " + e.to());
      }
      visit(e.to(), steps, path, done);
    }
    path.remove(path.size() - 1);
    done.add(id);
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
  }

  private static RunFailureException invalid(String message) {
    return new RunFailureException("ValidationError", message, "crash", null);
  }

  /** All {from, to, condition} of the plan's JS conditions, for compiling them in the host. */
  List<Map<String, String>> conditions() {
    List<Map<String, String>> all = new ArrayList<>();
    for (PlanStep s : steps.values()) {
      for (PlanStep.Edge e : s.edges()) {
        if (e.constant() == null) {
          all.add(Map.of("from", s.id(), "to", e.to(), "condition", e.condition()));
        }
      }
    }
    return all;
  }
}
