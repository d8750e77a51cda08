package dev.kiln.lightning.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * {@code run:start}: {@code {"versions": {...}, "timestamp": "<µs>"}}.
 *
 * @param versions {@code worker}, {@code node}, {@code engine}, {@code compiler}, {@code
 *     runtime} as strings; adaptor names → arrays of versions
 */
public record RunStart(
    @JsonProperty("versions") Map<String, Object> versions,
    @JsonProperty("timestamp") String timestamp) {}
