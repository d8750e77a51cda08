package dev.kiln.devserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns a submitted workflow into a Lightning plan (spec lightning-protocol §4.1): either a
 * Lightning plan ({@code jobs}, {@code triggers}, {@code edges}) or the CLI's workflow format
 * ({@code workflow.steps} / flat {@code steps}, with {@code next} maps). Inline credential objects
 * (a job's {@code credential}, a step's object {@code configuration}) are taken out of the plan
 * and stored under fresh ids, as the lightning-mock does; the plan then names them by
 * {@code credential_id}. Every problem is reported as an {@link IllegalArgumentException} whose
 * message names the job or edge and says what to change.
 */
final class PlanIntake {
  /** A normalised Lightning plan (no run id, no dataclip id) and the credentials it brought. */
  record Intake(ObjectNode plan, Map<String, JsonNode> credentials) {}

  private static final Set<String> OPTION_KEYS = Set.of("output_dataclips", "run_timeout_ms",
      "run_memory_limit_mb", "job_log_level", "payload_limit_mb", "log_payload_limit_mb", "sanitize");

  private final Map<String, JsonNode> credentials = new LinkedHashMap<>();

  private PlanIntake() {}

  static Intake read(JsonNode workflow) {
    if (workflow == null || !workflow.isObject()) {
      throw new IllegalArgumentException(
          "\"plan\" must be a workflow object: a Lightning plan with \"jobs\" or a CLI workflow with \"steps\"");
    }
    PlanIntake intake = new PlanIntake();
    ObjectNode plan = isCliWorkflow(workflow) ? intake.fromCli(workflow) : intake.fromLightning(workflow);
    intake.check(plan);
    return new Intake(plan, intake.credentials);
  }

  private static boolean isCliWorkflow(JsonNode root) {
    if (root.has("workflow") || root.has("steps")) {
      return true;
    }
    for (JsonNode job : root.path("jobs")) {
      if (job.has("expression") && !job.has("body")) {
        return true;
      }
    }
    return false;
  }

  private ObjectNode fromLightning(JsonNode root) {
    JsonNode jobs = root.get("jobs");
    if (jobs == null || !jobs.isArray() || jobs.isEmpty()) {
      throw new IllegalArgumentException("The plan has no jobs: add \"jobs\": [{\"id\": ..., \"body\": ...}]");
    }
    ObjectNode plan = Json.object();
    copyIfPresent(root, plan, "name");
    if (root.path("globals").isTextual()) {
      plan.set("globals", root.get("globals"));
    }
    copyIfPresent(root, plan, "starting_node_id");
    ArrayNode triggers = plan.putArray("triggers");
    for (JsonNode trigger : root.path("triggers")) {
      ObjectNode copy = trigger.deepCopy();
      if (!copy.hasNonNull("id")) {
        copy.put("id", UUID.randomUUID().toString());
      }
      triggers.add(copy);
    }
    ArrayNode outJobs = plan.putArray("jobs");
    for (JsonNode job : jobs) {
      ObjectNode copy = job.deepCopy();
      if (!copy.hasNonNull("id")) {
        copy.put("id", UUID.randomUUID().toString());
      }
      if (!copy.path("body").isTextual()) {
        throw new IllegalArgumentException("Job " + copy.get("id").asText()
            + " has no body: set \"body\" to the job's code");
      }
      JsonNode credential = copy.remove("credential");
      if (credential != null && credential.isObject()) {
        copy.put("credential_id", storeCredential(credential));
      } else if (credential != null && credential.isTextual() && !copy.hasNonNull("credential_id")) {
        copy.set("credential_id", credential);
      }
      outJobs.add(copy);
    }
    ArrayNode edges = plan.putArray("edges");
    for (JsonNode edge : root.path("edges")) {
      ObjectNode copy = edge.deepCopy();
      if (!copy.hasNonNull("id")) {
        copy.put("id", UUID.randomUUID().toString());
      }
      if (!copy.has("enabled")) {
        copy.put("enabled", true);
      }
      edges.add(copy);
    }
    plan.set("options", options(root.path("options")));
    return plan;
  }

  private ObjectNode fromCli(JsonNode root) {
    JsonNode workflow = root.has("workflow") ? root.get("workflow") : root;
    JsonNode steps = workflow.has("steps") ? workflow.get("steps") : workflow.get("jobs");
    if (steps == null || !steps.isArray() || steps.isEmpty()) {
      throw new IllegalArgumentException("The workflow has no steps: add \"steps\": [{\"id\": ..., \"expression\": ...}]");
    }
    ObjectNode plan = Json.object();
    copyIfPresent(workflow, plan, "name");
    if (workflow.path("globals").isTextual()) {
      plan.set("globals", workflow.get("globals"));
    }
    JsonNode options = root.path("options");
    String start = options.hasNonNull("start") ? options.get("start").asText()
        : root.hasNonNull("start") ? root.get("start").asText() : null;
    if (start != null) {
      plan.put("starting_node_id", start);
    }
    ArrayNode triggers = plan.putArray("triggers");
    ArrayNode jobs = plan.putArray("jobs");
    ArrayNode edges = plan.putArray("edges");
    Map<String, Boolean> isJob = new LinkedHashMap<>();
    int index = 0;
    for (JsonNode step : steps) {
      index++;
      String id = step.hasNonNull("id") ? step.get("id").asText() : "job-" + index;
      if (step.has("expression")) {
        jobs.add(cliJob(id, step));
        isJob.put(id, true);
      } else {
        triggers.addObject().put("id", id);
        isJob.put(id, false);
      }
    }
    for (JsonNode step : steps) {
      String id = step.hasNonNull("id") ? step.get("id").asText() : null;
      if (id != null && step.has("next")) {
        addCliEdges(id, isJob.getOrDefault(id, true), step.get("next"), edges);
      }
    }
    plan.set("options", options(options));
    return plan;
  }

  private ObjectNode cliJob(String id, JsonNode step) {
    JsonNode expression = step.get("expression");
    if (!expression.isTextual()) {
      throw new IllegalArgumentException("Step " + id + ": \"expression\" must be the job's code as a string");
    }
    String code = expression.asText();
    if (!code.contains("\n") && code.trim().matches("(?s)[^\\s()]+\\.(js|ts|ojs)")) {
      throw new IllegalArgumentException("Step " + id + ": \"expression\" looks like a file path (" + code.trim()
          + "); the dev server needs the code inline (kiln submit reads the files for you)");
    }
    ObjectNode job = Json.object();
    job.put("id", id);
    if (step.hasNonNull("name")) {
      job.set("name", step.get("name"));
    }
    String adaptor = step.path("adaptor").isTextual() ? step.get("adaptor").asText()
        : step.path("adaptors").isArray() && !step.get("adaptors").isEmpty()
            ? step.get("adaptors").get(0).asText() : null;
    if (adaptor != null) {
      job.put("adaptor", expandAdaptor(adaptor));
    }
    JsonNode configuration = step.get("configuration");
    if (configuration != null && configuration.isObject()) {
      job.put("credential_id", storeCredential(configuration));
    } else if (configuration != null && configuration.isTextual()) {
      job.put("credential_id", configuration.asText());
    }
    if (step.has("state")) {
      job.set("state", step.get("state"));
    }
    job.put("body", code);
    return job;
  }

  private static void addCliEdges(String source, boolean fromJob, JsonNode next, ArrayNode edges) {
    if (next.isTextual()) {
      edge(edges, source, fromJob, next.asText(), "always", true);
      return;
    }
    if (!next.isObject()) {
      throw new IllegalArgumentException("Step " + source
          + ": \"next\" must be a step id or an object {\"<step id>\": true | \"<condition>\" | {\"condition\": ...}}");
    }
    next.fields().forEachRemaining(entry -> {
      JsonNode value = entry.getValue();
      if (value.isBoolean()) {
        edge(edges, source, fromJob, entry.getKey(), "always", value.asBoolean());
      } else if (value.isTextual()) {
        edge(edges, source, fromJob, entry.getKey(), value.asText(), true);
      } else if (value.isObject()) {
        String condition = value.path("condition").isTextual() ? value.get("condition").asText() : "always";
        edge(edges, source, fromJob, entry.getKey(), condition, !value.path("disabled").asBoolean(false));
      } else {
        throw new IllegalArgumentException("Step " + source + ": next." + entry.getKey()
            + " must be true, a condition string or {\"condition\": ...}");
      }
    });
  }

  private static void edge(ArrayNode edges, String source, boolean fromJob, String target, String condition,
      boolean enabled) {
    ObjectNode edge = edges.addObject();
    edge.put("id", source + "->" + target);
    if (fromJob) {
      edge.putNull("source_trigger_id");
      edge.put("source_job_id", source);
    } else {
      edge.put("source_trigger_id", source);
      edge.putNull("source_job_id");
    }
    edge.put("target_job_id", target);
    edge.put("condition", condition);
    edge.put("enabled", enabled);
  }

  static String expandAdaptor(String adaptor) {
    return adaptor.startsWith("@") || adaptor.contains("/") ? adaptor : "@openfn/language-" + adaptor;
  }

  private String storeCredential(JsonNode body) {
    String id = UUID.randomUUID().toString();
    credentials.put(id, body);
    return id;
  }

  private static ObjectNode options(JsonNode given) {
    ObjectNode options = Json.object();
    given.fields().forEachRemaining(entry -> {
      if (OPTION_KEYS.contains(entry.getKey()) && !entry.getValue().isNull()) {
        options.set(entry.getKey(), entry.getValue());
      }
    });
    return options;
  }

  private void check(ObjectNode plan) {
    Set<String> jobIds = new HashSet<>();
    for (JsonNode job : plan.get("jobs")) {
      if (!jobIds.add(job.get("id").asText())) {
        throw new IllegalArgumentException("Job id " + job.get("id").asText() + " is used twice: ids must be unique");
      }
    }
    Set<String> triggerIds = new HashSet<>();
    plan.get("triggers").forEach(trigger -> triggerIds.add(trigger.get("id").asText()));
    for (JsonNode edge : plan.get("edges")) {
      String name = "Edge " + edge.get("id").asText();
      String target = edge.path("target_job_id").asText(null);
      if (target == null || !jobIds.contains(target)) {
        throw new IllegalArgumentException(name + ": target_job_id " + target + " is not a job of the plan");
      }
      String sourceJob = edge.path("source_job_id").asText(null);
      String sourceTrigger = edge.path("source_trigger_id").asText(null);
      if (sourceJob != null && !jobIds.contains(sourceJob)) {
        throw new IllegalArgumentException(name + ": source_job_id " + sourceJob + " is not a job of the plan");
      }
      if (sourceTrigger != null && !triggerIds.contains(sourceTrigger)) {
        throw new IllegalArgumentException(name + ": source_trigger_id " + sourceTrigger
            + " is not a trigger of the plan");
      }
      if (sourceJob == null && sourceTrigger == null) {
        throw new IllegalArgumentException(name + ": set source_job_id or source_trigger_id");
      }
    }
    JsonNode timeout = plan.get("options").get("run_timeout_ms");
    if (timeout != null && (!timeout.canConvertToLong() || timeout.asLong() <= 0)) {
      throw new IllegalArgumentException("options.run_timeout_ms must be a positive number of milliseconds");
    }
  }

  private static void copyIfPresent(JsonNode from, ObjectNode to, String key) {
    if (from.hasNonNull(key)) {
      to.set(key, from.get(key));
    }
  }
}
