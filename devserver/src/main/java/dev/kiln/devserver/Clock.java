package dev.kiln.devserver;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Times are stored as microseconds since the epoch, like the worker's timestamps. */
final class Clock {
  private static final DateTimeFormatter ISO_MICROS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private Clock() {}

  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  static long toMicros(Instant instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
  }

  static String iso(long micros) {
    return ISO_MICROS.format(Instant.EPOCH.plus(micros, ChronoUnit.MICROS));
  }

  /**
   * A worker timestamp as Lightning reads it ({@code unix_date_time.ex}): 16 digits are
   * microseconds, 13 digits milliseconds; missing or unreadable means now.
   */
  static long fromWorker(com.fasterxml.jackson.databind.JsonNode value) {
    if (value == null || value.isNull()) {
      return nowMicros();
    }
    String text = value.asText().trim();
    if (!text.matches("\\d{1,19}")) {
      return nowMicros();
    }
    long number = Long.parseLong(text);
    return text.length() <= 13 ? number * 1000 : number;
  }
}
