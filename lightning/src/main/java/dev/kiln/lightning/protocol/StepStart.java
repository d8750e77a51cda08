package dev.kiln.lightning.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code step:start}. {@code step_id} is a UUID minted by the worker; {@code input_dataclip_id}
 * is omitted when unknown or withheld.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepStart(
    @JsonProperty("step_id") String stepId,
    @JsonProperty("job_id") String jobId,
    @JsonProperty("input_dataclip_id") String inputDataclipId,
    @JsonProperty("timestamp") String timestamp) {}
