package dev.kiln.lightning.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * Join payload of {@code worker:queue}: {@code {"capacity": 5, "queues": {"manual>*": 5}}}.
 *
 * @param queues workloop id (queue names joined by {@code >}) → slots, in workloop order
 */
public record QueueJoin(
    @JsonProperty("capacity") int capacity, @JsonProperty("queues") Map<String, Integer> queues) {}
