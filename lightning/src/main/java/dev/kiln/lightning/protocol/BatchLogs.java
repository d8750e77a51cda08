package dev.kiln.lightning.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code run:batch_logs}: {@code {"run_id": ..., "logs": [...]}}. */
public record BatchLogs(@JsonProperty("run_id") String runId, @JsonProperty("logs") List<LogLine> logs) {}
