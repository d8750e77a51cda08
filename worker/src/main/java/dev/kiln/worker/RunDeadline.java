package dev.kiln.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.lightning.protocol.LightningJson;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * When Lightning gives up on a run: the run token's {@code exp} (claim time + {@code run_timeout_ms}
 * + grace period, spec §2.3), or, for a token without one, claim time + timeout + Lightning's default
 * grace of 10 s. The worker stops the run early enough to report it before then: the engine gets
 * the smaller of the run's timeout and the time left minus a delivery margin.
 */
record RunDeadline(Instant at) {
  static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
  /** Time kept back to send the last events and {@code run:complete}. */
  static final Duration DELIVERY_MARGIN = Duration.ofSeconds(3);

  static RunDeadline of(String runToken, Instant claimedAt, long runTimeoutMs) {
    Instant exp = expiry(runToken);
    return new RunDeadline(exp != null ? exp : claimedAt.plusMillis(runTimeoutMs).plus(DEFAULT_GRACE));
  }

  /** The engine's timeout for a run starting now: at most {@code runTimeoutMs}, at least 1 ms. */
  long engineTimeoutMs(long runTimeoutMs, Instant now) {
    long left = Duration.between(now, at).minus(DELIVERY_MARGIN).toMillis();
    return Math.max(1, Math.min(runTimeoutMs, left));
  }

  boolean passed(Instant now) {
    return !now.isBefore(at);
  }

  /** The {@code exp} claim of a JWT, read without verifying it (null when absent or unreadable). */
  static Instant expiry(String token) {
    try {
      String[] parts = token.split("\\.");
      JsonNode claims = LightningJson.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
      return claims.hasNonNull("exp") ? Instant.ofEpochSecond(claims.get("exp").asLong()) : null;
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }
}
