package dev.kiln.lightning.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code step:complete} (spec §3.2). {@code reason}, {@code error_type}, {@code error_message}
 * are always present (null errors on success); the rest is omitted when null: a withheld
 * dataclip has no id and no dataclip but {@code output_dataclip_error: "DATACLIP_TOO_LARGE"}; a
 * step:complete synthesised after a crash has no mem, duration, thread_id or timestamp.
 *
 * @param outputDataclip the output state as JSON text, sent as a JSON string (never parsed)
 * @param webhookResponse {@code state.webhookResponse}, as JSON text
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepComplete(
    @JsonProperty("step_id") String stepId,
    @JsonProperty("job_id") String jobId,
    @JsonProperty("output_dataclip_id") String outputDataclipId,
    @JsonProperty("output_dataclip") String outputDataclip,
    @JsonProperty("output_dataclip_error") String outputDataclipError,
    @JsonProperty("reason") @JsonInclude(JsonInclude.Include.ALWAYS) String reason,
    @JsonProperty("error_type") @JsonInclude(JsonInclude.Include.ALWAYS) String errorType,
    @JsonProperty("error_message") @JsonInclude(JsonInclude.Include.ALWAYS) String errorMessage,
    @JsonProperty("mem") Mem mem,
    @JsonProperty("duration") Long duration,
    @JsonProperty("thread_id") Long threadId,
    @JsonProperty("timestamp") String timestamp,
    @JsonProperty("webhook_response") RawJson webhookResponse) {

  public static final String DATACLIP_TOO_LARGE = "DATACLIP_TOO_LARGE";

  /** Memory in bytes: {@code job} (heap used) and {@code system} (RSS). */
  public record Mem(@JsonProperty("job") long job, @JsonProperty("system") long system) {}
}
