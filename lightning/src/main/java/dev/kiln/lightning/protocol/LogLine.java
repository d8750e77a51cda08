package dev.kiln.lightning.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One entry of {@code run:batch_logs}.
 *
 * @param message the JSON array of the log's arguments, as text (the runtime's {@code message})
 * @param source {@code JOB}, {@code ADA}, {@code R/T}, {@code RTE}, {@code VER} (≤ 8 chars)
 * @param level {@code debug}, {@code info}, {@code warn}, {@code error}, {@code success}, {@code always}
 * @param stepId present iff a step was active
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogLine(
    @JsonProperty("message") RawJson message,
    @JsonProperty("source") String source,
    @JsonProperty("level") String level,
    @JsonProperty("timestamp") String timestamp,
    @JsonProperty("step_id") String stepId) {}
