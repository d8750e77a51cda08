package dev.kiln.lightning.protocol;

import java.time.Instant;

/**
 * Lightning's {@code TimeInMicroSeconds}: decimal microseconds since the epoch as a string (16
 * digits today, e.g. {@code "1732838400123456"}).
 */
public final class Timestamps {
  private Timestamps() {}

  public static String micros(Instant instant) {
    return Long.toString(Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000));
  }

  /** From the runtime's nanosecond strings ({@code time} of its frames). */
  public static String fromNanos(String nanos) {
    return Long.toString(Long.parseLong(nanos) / 1_000);
  }

  /**
   * Parses a timestamp as Lightning does ({@code unix_date_time.ex}): 16 digits are microseconds,
   * 13 digits milliseconds, else seconds.
   */
  public static Instant parse(String value) {
    long n = Long.parseLong(value.strip());
    int digits = Long.toString(Math.abs(n)).length();
    if (digits >= 16) {
      return Instant.ofEpochSecond(n / 1_000_000L, (n % 1_000_000L) * 1_000L);
    }
    if (digits >= 13) {
      return Instant.ofEpochMilli(n);
    }
    return Instant.ofEpochSecond(n);
  }
}
