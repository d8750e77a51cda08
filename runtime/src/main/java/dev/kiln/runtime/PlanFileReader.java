package dev.kiln.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kiln.compiler.CompileError;
import dev.kiln.compiler.JobSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads a workflow file for {@code kiln run} (spec §6): JSON or YAML, flat
 * ({@code {id, name, start, options, steps}}), wrapped ({@code {workflow, options}}) or legacy
 * ({@code {jobs}}). Step {@code expression}s that are file names are read relative to the
 * workflow file ({@code ~} expanded); {@code adaptor} becomes {@code adaptors} (short names like
 * {@code common@3.3.4} expand to {@code @openfn/language-common@3.3.4}); {@code configuration} and
 * {@code state} may be paths to JSON files. A string {@code configuration} that is not a path is
 * a credential id, left for the caller to map. The result is the wrapped plan the {@code run}
 * frame carries.
 */
public final class PlanFileReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new YAMLMapper();

  private PlanFileReader() {}

  /** The plan in a {@code .json}, {@code .yaml} or {@code .yml} file. */
  public static ObjectNode read(Path file) {
    String fileName = file.getFileName().toString();
    String lower = fileName.toLowerCase(Locale.ROOT);
    ObjectMapper mapper;
    if (lower.endsWith(".json")) {
      mapper = JSON;
    } else if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
      mapper = YAML;
    } else {
      throw new PlanFileException(file + ": a workflow file must end in .json, .yaml or .yml");
    }
    JsonNode root = parse(file, mapper);
    if (!(root instanceof ObjectNode plan)) {
      throw new PlanFileException(file + ": the workflow must be an object with \"steps\" (or \"workflow.steps\")");
    }
    Path dir = file.toAbsolutePath().getParent();
    ObjectNode result = JSON.createObjectNode();
    ObjectNode workflow;
    ObjectNode options = JSON.createObjectNode();
    if (plan.get("workflow") instanceof ObjectNode wrapped) {
      workflow = wrapped.deepCopy();
      if (plan.get("options") instanceof ObjectNode o) {
        options.setAll(o);
      }
      copyIfPresent(plan, result, "id");
    } else if (plan.has("jobs")) {
      workflow = JSON.createObjectNode();
      workflow.set("steps", plan.get("jobs"));
      copyIfPresent(plan, result, "id");
      if (plan.has("start")) {
        options.set("start", plan.get("start"));
      }
    } else {
      workflow = plan.deepCopy();
      workflow.remove(List.of("options", "start", "id"));
      copyIfPresent(plan, result, "id");
      if (plan.get("options") instanceof ObjectNode o) {
        options.setAll(o);
      }
      if (plan.has("start")) {
        options.set("start", plan.get("start"));
      }
    }
    if (!(workflow.get("steps") instanceof ArrayNode steps)) {
      throw new PlanFileException(file + ": the workflow has no \"steps\" array");
    }
    if (!workflow.has("name")) {
      workflow.put("name", fileName.replaceFirst("\\.[^.]+$", ""));
    }
    int index = 0;
    for (JsonNode step : steps) {
      index++;
      if (!(step instanceof ObjectNode s)) {
        throw new PlanFileException(file + ": step " + index + " is not an object");
      }
      String label = s.has("id") ? s.get("id").asText() : "#" + index;
      resolveStep(s, label, dir, file);
    }
    result.set("workflow", workflow);
    result.set("options", options);
    return result;
  }

  /** A one-step plan for a job file run on its own ({@code kiln run job.js -a common}). */
  public static ObjectNode forJob(Path jobFile, List<String> adaptors) {
    ObjectNode plan = JSON.createObjectNode();
    ObjectNode workflow = plan.putObject("workflow");
    workflow.put("name", jobFile.getFileName().toString().replaceFirst("\\.[^.]+$", ""));
    ObjectNode step = workflow.putArray("steps").addObject();
    step.put("expression", readJob(jobFile, "job"));
    ArrayNode list = step.putArray("adaptors");
    adaptors.forEach(a -> list.add(expandAdaptor(a)));
    plan.putObject("options");
    return plan;
  }

  /** {@code common@1.0.0} → {@code @openfn/language-common@1.0.0}; scoped names and paths are kept. */
  public static String expandAdaptor(String adaptor) {
    if (adaptor.startsWith("@") || adaptor.contains("/") || adaptor.endsWith(".js")) {
      return adaptor;
    }
    return "@openfn/language-" + adaptor;
  }

  private static void resolveStep(ObjectNode step, String label, Path dir, Path file) {
    JsonNode expression = step.get("expression");
    if (expression != null && expression.isTextual() && isPath(expression.asText(), "js", "ts", "json", "ojs")) {
      step.put("expression", readJob(resolve(dir, expression.asText()), "step " + label));
    }
    JsonNode adaptor = step.get("adaptor");
    if (adaptor != null) {
      step.remove("adaptor");
      if (!step.has("adaptors")) {
        step.putArray("adaptors").add(adaptor.asText());
      }
    }
    if (step.get("adaptors") instanceof ArrayNode adaptors) {
      for (int i = 0; i < adaptors.size(); i++) {
        adaptors.set(i, JSON.getNodeFactory().textNode(expandAdaptor(adaptors.get(i).asText())));
      }
    }
    for (String field : List.of("configuration", "state")) {
      JsonNode value = step.get(field);
      if (value != null && value.isTextual() && isPath(value.asText(), "json")) {
        Path path = resolve(dir, value.asText());
        if (!Files.isRegularFile(path)) {
          throw new PlanFileException(file + ": step " + label + ": " + field + " file not found: " + path);
        }
        step.set(field, parse(path, JSON));
      }
    }
  }

  private static boolean isPath(String text, String... extensions) {
    if (text.contains("\n")) {
      return false;
    }
    for (String ext : extensions) {
      if (text.endsWith("." + ext)) {
        return true;
      }
    }
    return false;
  }

  private static Path resolve(Path dir, String path) {
    if (path.equals("~") || path.startsWith("~/")) {
      return Path.of(System.getProperty("user.home") + path.substring(1));
    }
    return dir.resolve(path).normalize();
  }

  private static String readJob(Path path, String what) {
    if (!Files.isRegularFile(path)) {
      throw new PlanFileException(what + ": expression file not found: " + path);
    }
    try {
      return JobSource.read(path);
    } catch (CompileError e) {
      throw new PlanFileException(what + ": " + path + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode parse(Path file, ObjectMapper mapper) {
    try {
      return mapper.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new PlanFileException(file + ": not valid " + (mapper == JSON ? "JSON" : "YAML") + ": " + e.getOriginalMessage()
          + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")" : ""), e);
    } catch (IOException e) {
      throw new PlanFileException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static void copyIfPresent(ObjectNode from, ObjectNode to, String field) {
    if (from.has(field)) {
      to.set(field, from.get(field));
    }
  }
}
