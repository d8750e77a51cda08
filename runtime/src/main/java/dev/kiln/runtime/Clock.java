package dev.kiln.runtime;

import java.time.Instant;

/** Event times as the reference writes them: nanoseconds since the epoch, as a decimal string. */
final class Clock {
  private Clock() {}

  static String nowNanos() {
    Instant now = Instant.now();
    return Long.toString(now.getEpochSecond() * 1_000_000_000L + now.getNano());
  }
}
