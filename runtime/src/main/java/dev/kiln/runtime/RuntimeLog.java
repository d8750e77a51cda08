package dev.kiln.runtime;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Map;

/** The R/T logger for plan-level lines written from Java (step-level lines come from the host). */
final class RuntimeLog {
  private static final Map<String, Integer> PRIORITY =
      Map.of("debug", 0, "info", 1, "default", 2, "warn", 2, "success", 2, "always", 2, "none", 9, "error", 100,
          "none-really", 1000);

  private final LogSink sink;
  private final int threshold;

  RuntimeLog(LogSink sink, String level) {
    this.sink = sink;
    this.threshold = PRIORITY.getOrDefault(level, 0);
  }

  void debug(String text) {
    write("debug", text);
  }

  void info(String text) {
    write("info", text);
  }

  void warn(String text) {
    write("warn", text);
  }

  void error(String text) {
    write("error", text);
  }

  private void write(String level, String text) {
    if (PRIORITY.get(level) >= threshold) {
      String message = JsonNodeFactory.instance.arrayNode().add(text).toString();
      sink.log(level, "R/T", message, Clock.nowNanos());
    }
  }
}
