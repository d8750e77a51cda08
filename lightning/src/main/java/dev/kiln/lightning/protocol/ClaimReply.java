package dev.kiln.lightning.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** {@code claim} reply: {@code {"runs": [{"id": ..., "token": ...}]}} (possibly empty). */
public record ClaimReply(@JsonProperty("runs") List<ClaimedRun> runs) {
  public ClaimReply {
    runs = runs == null ? List.of() : List.copyOf(runs);
  }

  /** One claimed run and its run token (an RS256 JWT). */
  public record ClaimedRun(@JsonProperty("id") String id, @JsonProperty("token") String token) {}
}
