package dev.kiln.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One step of a normalised plan.
 *
 * @param id the step id (auto {@code job-N} when the plan has none)
 * @param name the display name, or null
 * @param expression the job code (source, or compiled once compilation ran), or null for a trigger
 * @param adaptors adaptor specifiers {@code name@version}
 * @param configuration an object, a credential id (text) or null
 * @param state the step's default state object, or null
 * @param linker {@code {<module>: {path?, version?}}}, from the plan or from {@code adaptors}
 * @param edges the outgoing edges in the order they are evaluated
 */
record PlanStep(
    String id,
    String name,
    String expression,
    List<String> adaptors,
    JsonNode configuration,
    JsonNode state,
    JsonNode linker,
    List<Edge> edges) {

  boolean isJob() {
    return expression != null;
  }

  String displayName() {
    return name != null && !name.isEmpty() ? name : id;
  }

  /**
   * An edge to {@code to}: {@code constant} TRUE/FALSE, or a JS {@code condition} (constant null).
   */
  record Edge(String to, Boolean constant, String condition) {}
}
