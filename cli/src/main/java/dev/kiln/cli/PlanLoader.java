package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads what {@code kiln run} is given into a wrapped execution plan
 * {@code {id, workflow: {name, steps}, options}}: a plan file (JSON or YAML; flat, wrapped or
 * legacy, spec §6) with expression, configuration and state paths resolved against the file's
 * folder, or a {@code .js} expression as a one-step plan.
 */
final class PlanLoader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private PlanLoader() {}

  static boolean isPlanFile(Path path) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml");
  }

  /** A one-step plan running the expression file with the given (expanded) adaptors. */
  static ObjectNode fromExpression(Path js, List<String> adaptors) throws IOException {
    ObjectNode plan = JSON.createObjectNode();
    String name = baseName(js);
    plan.put("id", name);
    ObjectNode workflow = plan.putObject("workflow");
    workflow.put("name", name);
    ObjectNode step = workflow.putArray("steps").addObject();
    step.put("id", "job-1");
    ArrayNode list = step.putArray("adaptors");
    adaptors.forEach(list::add);
    step.put("expression", Files.readString(js));
    plan.putObject("options");
    return plan;
  }

  static ObjectNode fromPlanFile(Path file) throws IOException {
    String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
    JsonNode root = (lower.endsWith(".json") ? JSON : YAML).readTree(file.toFile());
    if (root == null || !root.isObject()) {
      throw new IOException(file + " is not a workflow: expected an object with \"steps\"");
    }
    ObjectNode plan = wrap((ObjectNode) root);
    ObjectNode workflow = (ObjectNode) plan.get("workflow");
    if (!workflow.hasNonNull("name")) {
      workflow.put("name", baseName(file));
    }
    if (!plan.hasNonNull("id")) {
      plan.put("id", workflow.get("name").asText());
    }
    Path dir = file.toAbsolutePath().getParent();
    JsonNode steps = workflow.get("steps");
    if (steps == null || !steps.isArray() || steps.isEmpty()) {
      throw new IOException(file + " has no steps: add \"steps\": [{\"id\": ..., \"expression\": ...}]");
    }
    for (JsonNode node : steps) {
      resolveStep((ObjectNode) node, dir);
    }
    return plan;
  }

  private static ObjectNode wrap(ObjectNode root) {
    if (root.has("workflow")) {
      ObjectNode plan = root.deepCopy();
      if (!plan.has("options")) {
        plan.putObject("options");
      }
      return plan;
    }
    ObjectNode plan = JSON.createObjectNode();
    if (root.has("id")) {
      plan.set("id", root.get("id"));
    }
    ObjectNode workflow = plan.putObject("workflow");
    if (root.has("name")) {
      workflow.set("name", root.get("name"));
    }
    workflow.set("steps", root.has("steps") ? root.get("steps") : root.get("jobs"));
    if (root.has("globals")) {
      workflow.set("globals", root.get("globals"));
    }
    ObjectNode options = root.has("options") ? ((ObjectNode) root.get("options")).deepCopy()
        : JSON.createObjectNode();
    if (root.has("start")) {
      options.set("start", root.get("start"));
    }
    plan.set("options", options);
    return plan;
  }

  private static void resolveStep(ObjectNode step, Path dir) throws IOException {
    if (step.has("adaptor") && !step.has("adaptors")) {
      step.putArray("adaptors").add(step.remove("adaptor"));
    }
    if (step.get("adaptors") instanceof ArrayNode adaptors) {
      for (int i = 0; i < adaptors.size(); i++) {
        adaptors.set(i, adaptors.textNode(AdaptorNames.expand(adaptors.get(i).asText())));
      }
    }
    JsonNode expression = step.get("expression");
    if (expression != null && expression.isTextual() && isPath(expression.asText())) {
      step.put("expression", Files.readString(resolve(dir, expression.asText(), step, "expression")));
    }
    for (String field : new String[] {"configuration", "state"}) {
      JsonNode value = step.get(field);
      if (value != null && value.isTextual() && value.asText().endsWith(".json")) {
        step.set(field, JSON.readTree(resolve(dir, value.asText(), step, field).toFile()));
      }
    }
  }

  private static boolean isPath(String text) {
    return !text.contains("\n") && text.trim().matches("(?s).*\\.(js|ts|json|ojs)");
  }

  private static Path resolve(Path dir, String path, JsonNode step, String field) throws IOException {
    String expanded = path.trim().startsWith("~/")
        ? System.getProperty("user.home") + path.trim().substring(1) : path.trim();
    Path resolved = dir.resolve(expanded).normalize();
    if (!Files.isRegularFile(resolved)) {
      throw new IOException("Step " + step.path("id").asText("?") + ": " + field + " file not found: "
          + resolved);
    }
    return resolved;
  }

  private static String baseName(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
