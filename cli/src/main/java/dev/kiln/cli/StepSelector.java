package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the step named by {@code --start}, {@code --end} or {@code --only}: an exact id, else
 * the one step whose id or name contains the pattern (the openfn CLI's rule).
 */
final class StepSelector {
  private StepSelector() {}

  static String find(JsonNode steps, String pattern, String option) {
    List<String> matches = new ArrayList<>();
    for (JsonNode step : steps) {
      String id = step.path("id").asText("");
      if (id.equals(pattern)) {
        return id;
      }
      if (id.contains(pattern) || step.path("name").asText("").contains(pattern)) {
        matches.add(id);
      }
    }
    if (matches.isEmpty()) {
      throw new IllegalArgumentException(option + " step not found: " + pattern);
    }
    if (matches.size() > 1) {
      throw new IllegalArgumentException(
          option + " pattern matched multiple steps: " + pattern + " matches " + matches);
    }
    return matches.get(0);
  }

  /** The ids of the steps with an edge to the given step. */
  static List<String> upstream(JsonNode steps, String stepId) {
    List<String> ids = new ArrayList<>();
    for (JsonNode step : steps) {
      JsonNode next = step.get("next");
      boolean links = next != null && (next.isTextual() ? next.asText().equals(stepId) : next.has(stepId));
      if (links) {
        ids.add(step.path("id").asText());
      }
    }
    return ids;
  }
}
