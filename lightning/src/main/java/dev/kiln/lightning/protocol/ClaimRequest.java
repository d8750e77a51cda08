package dev.kiln.lightning.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code claim} payload: {@code {"demand": 1, "worker_name": null, "queues": ["manual", "*"]}}.
 * {@code worker_name} is always present (JSON null when unset): Lightning pattern-matches it.
 */
public record ClaimRequest(
    @JsonProperty("demand") int demand,
    @JsonProperty("worker_name") @JsonInclude(JsonInclude.Include.ALWAYS) String workerName,
    @JsonProperty("queues") List<String> queues) {}
