package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/** Lightning plans for the end-to-end tests, and readers of the events a run produced. */
final class LightningPlans {
  private LightningPlans() {}

  /** A submission: one trigger, one job ({@code job}) with an adaptor-free ES-module body. */
  static ObjectNode oneJob(String body) {
    ObjectNode plan = DevPlatform.JSON.createObjectNode();
    plan.put("id", UUID.randomUUID().toString());
    plan.putArray("triggers").addObject().put("id", "trigger");
    plan.putArray("jobs").addObject().put("id", "job").put("name", "job").put("body", body);
    plan.putArray("edges").addObject().put("id", "e0").put("source_trigger_id", "trigger")
        .put("target_job_id", "job").put("condition", "always");
    ObjectNode submission = DevPlatform.JSON.createObjectNode();
    submission.set("plan", plan);
    return submission;
  }

  static ObjectNode plan(ObjectNode submission) {
    return (ObjectNode) submission.get("plan");
  }

  static ObjectNode job(ObjectNode submission, int index) {
    return (ObjectNode) plan(submission).get("jobs").get(index);
  }

  /** Adds a job and an edge from {@code from} to it. */
  static ObjectNode addJob(ObjectNode submission, String from, String id, String body, String condition, boolean enabled) {
    ObjectNode plan = plan(submission);
    ((ArrayNode) plan.get("jobs")).addObject().put("id", id).put("name", id).put("body", body);
    ((ArrayNode) plan.get("edges")).addObject().put("id", "e-" + id).put("source_job_id", from)
        .put("target_job_id", id).put("condition", condition).put("enabled", enabled);
    return submission;
  }

  static ObjectNode options(ObjectNode submission) {
    ObjectNode plan = plan(submission);
    return plan.has("options") ? (ObjectNode) plan.get("options") : plan.putObject("options");
  }

  static DevPlatform.Event first(List<DevPlatform.Event> events, String name) {
    return events.stream().filter(e -> e.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + names(events)));
  }

  static DevPlatform.Event last(List<DevPlatform.Event> events) {
    return events.get(events.size() - 1);
  }

  static List<DevPlatform.Event> all(List<DevPlatform.Event> events, String name) {
    return events.stream().filter(e -> e.name().equals(name)).toList();
  }

  static List<String> names(List<DevPlatform.Event> events) {
    return events.stream().map(DevPlatform.Event::name).toList();
  }

  /** Every log line, whether sent as {@code run:log} or inside {@code run:batch_logs}. */
  static List<JsonNode> logs(List<DevPlatform.Event> events) {
    return events.stream().flatMap(e -> switch (e.name()) {
      case "run:log" -> java.util.stream.Stream.of(e.payload());
      case "run:batch_logs" -> java.util.stream.StreamSupport.stream(e.payload().path("logs").spliterator(), false);
      default -> java.util.stream.Stream.<JsonNode>empty();
    }).toList();
  }

  static List<JsonNode> logs(List<DevPlatform.Event> events, Predicate<JsonNode> filter) {
    return logs(events).stream().filter(filter).toList();
  }

  static String text(JsonNode log) {
    StringBuilder s = new StringBuilder();
    log.path("message").forEach(m -> s.append(m.isTextual() ? m.asText() : m.toString()).append(' '));
    return s.toString().trim();
  }
}
