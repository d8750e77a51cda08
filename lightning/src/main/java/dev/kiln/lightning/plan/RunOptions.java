package dev.kiln.lightning.plan;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The run options Lightning sent in the plan's {@code options} (spec §4.1–§4.2); a field is null
 * when its key was absent (or null), so the worker's defaults apply.
 *
 * @param runTimeoutMs {@code run_timeout_ms}
 * @param memoryLimitMb {@code run_memory_limit_mb}
 * @param payloadLimitMb {@code payload_limit_mb} (0: any non-empty state is too large)
 * @param logPayloadLimitMb {@code log_payload_limit_mb}
 * @param outputDataclips {@code output_dataclips} ({@code false}: step:complete carries no dataclip)
 * @param jobLogLevel {@code job_log_level} ({@code "none"} suppresses JOB logs)
 * @param sanitize {@code sanitize}: {@code none}, {@code remove}, {@code obfuscate}, {@code summarize}
 */
public record RunOptions(
    Long runTimeoutMs,
    Integer memoryLimitMb,
    Double payloadLimitMb,
    Double logPayloadLimitMb,
    Boolean outputDataclips,
    String jobLogLevel,
    String sanitize) {

  public static final RunOptions NONE = new RunOptions(null, null, null, null, null, null, null);

  /** Reads the options object of a Lightning plan; unknown keys are ignored, nulls count as absent. */
  public static RunOptions from(JsonNode options) {
    if (options == null || !options.isObject()) {
      return NONE;
    }
    return new RunOptions(
        number(options, "run_timeout_ms") == null ? null : number(options, "run_timeout_ms").longValue(),
        number(options, "run_memory_limit_mb") == null ? null : number(options, "run_memory_limit_mb").intValue(),
        number(options, "payload_limit_mb") == null ? null : number(options, "payload_limit_mb").doubleValue(),
        number(options, "log_payload_limit_mb") == null ? null : number(options, "log_payload_limit_mb").doubleValue(),
        options.path("output_dataclips").isBoolean() ? options.get("output_dataclips").booleanValue() : null,
        text(options, "job_log_level"),
        text(options, "sanitize"));
  }

  private static JsonNode number(JsonNode options, String key) {
    JsonNode value = options.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isNumber()) {
      return value;
    }
    if (value.isTextual()) {
      try {
        return com.fasterxml.jackson.databind.node.DecimalNode.valueOf(new java.math.BigDecimal(value.asText().strip()));
      } catch (NumberFormatException e) {
        throw new PlanException("run option " + key + " must be a number, got \"" + value.asText() + "\"");
      }
    }
    throw new PlanException("run option " + key + " must be a number, got " + value);
  }

  private static String text(JsonNode options, String key) {
    JsonNode value = options.get(key);
    return value == null || value.isNull() ? null : value.asText();
  }
}
