package dev.kiln.cli;

/** Durations as the openfn logger prints them: {@code 120ms}, {@code 1.2s}, {@code 2m 5s}. */
final class Durations {
  private Durations() {}

  static String format(long ms) {
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      return String.format("%.1fs", ms / 1000.0).replace(",", ".");
    }
    return ms / 60_000 + "m " + (ms % 60_000) / 1000 + "s";
  }
}
