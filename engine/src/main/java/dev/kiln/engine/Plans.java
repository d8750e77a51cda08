package dev.kiln.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the parts of an execution plan the engine needs, in any of its shapes (spec §3.2): flat
 * {@code {id, steps}}, wrapped {@code {workflow: {steps}, options}} or legacy {@code {jobs}}.
 */
final class Plans {
  private Plans() {}

  static List<JsonNode> steps(JsonNode plan) {
    JsonNode steps = plan.path("workflow").path("steps");
    if (!steps.isArray()) {
      steps = plan.path("steps");
    }
    if (!steps.isArray()) {
      steps = plan.path("jobs");
    }
    List<JsonNode> list = new ArrayList<>();
    steps.forEach(list::add);
    return list;
  }

  /** Each step's name for messages (its name, else its id), by step id. */
  static Map<String, String> stepNames(JsonNode plan) {
    Map<String, String> names = new HashMap<>();
    for (JsonNode step : steps(plan)) {
      String id = step.path("id").asText("");
      String name = step.path("name").asText("");
      names.put(id, name.isEmpty() ? id : name);
    }
    return names;
  }
}
