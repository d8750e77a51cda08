package dev.kiln.lightning.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code run:log} (one line, the default mode): a {@link LogLine} plus {@code run_id}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunLog(
    @JsonProperty("run_id") String runId,
    @JsonProperty("message") RawJson message,
    @JsonProperty("source") String source,
    @JsonProperty("level") String level,
    @JsonProperty("timestamp") String timestamp,
    @JsonProperty("step_id") String stepId) {

  public static RunLog of(String runId, LogLine line) {
    return new RunLog(runId, line.message(), line.source(), line.level(), line.timestamp(), line.stepId());
  }

  public LogLine line() {
    return new LogLine(message, source, level, timestamp, stepId);
  }
}
