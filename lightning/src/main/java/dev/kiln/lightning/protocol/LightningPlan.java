package dev.kiln.lightning.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The reply to {@code fetch:plan} (spec §4.1, lexicon {@code LightningPlan}). Nullable fields are
 * omitted when written.
 *
 * @param globals workflow globals source (used only if it is a string)
 * @param options run options as sent ({@code run_timeout_ms}, {@code run_memory_limit_mb}, {@code
 *     payload_limit_mb}, {@code log_payload_limit_mb}, {@code output_dataclips}, {@code
 *     job_log_level}, {@code sanitize}); kept as a tree because only present keys count
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LightningPlan(
    @JsonProperty("id") String id,
    @JsonProperty("name") String name,
    @JsonProperty("project_id") String projectId,
    @JsonProperty("dataclip_id") String dataclipId,
    @JsonProperty("starting_node_id") String startingNodeId,
    @JsonProperty("globals") JsonNode globals,
    @JsonProperty("triggers") List<Trigger> triggers,
    @JsonProperty("jobs") List<Job> jobs,
    @JsonProperty("edges") List<Edge> edges,
    @JsonProperty("options") ObjectNode options) {

  public LightningPlan {
    triggers = triggers == null ? List.of() : List.copyOf(triggers);
    jobs = jobs == null ? List.of() : List.copyOf(jobs);
    edges = edges == null ? List.of() : List.copyOf(edges);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Trigger(@JsonProperty("id") String id) {}

  /**
   * @param credential an inline credential: a body object (dev server / mock submissions) or an
   *     id string
   * @param state per-job initial state merged into the step's input
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Job(
      @JsonProperty("id") String id,
      @JsonProperty("name") String name,
      @JsonProperty("adaptor") String adaptor,
      @JsonProperty("credential_id") String credentialId,
      @JsonProperty("credential") JsonNode credential,
      @JsonProperty("body") String body,
      @JsonProperty("state") JsonNode state) {}

  /**
   * @param condition {@code always}, {@code on_job_success}, {@code on_job_failure}, or a JS
   *     expression (Lightning's {@code js_expression} condition sends the expression itself)
   * @param enabled {@code false} disables the edge; null counts as enabled
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Edge(
      @JsonProperty("id") String id,
      @JsonProperty("source_trigger_id") String sourceTriggerId,
      @JsonProperty("source_job_id") String sourceJobId,
      @JsonProperty("target_job_id") String targetJobId,
      @JsonProperty("condition") String condition,
      @JsonProperty("enabled") Boolean enabled) {}
}
