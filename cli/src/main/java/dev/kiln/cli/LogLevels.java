package dev.kiln.cli;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code --log} option: {@code level} or {@code component=level,...} with the openfn CLI's
 * components ({@code cli}, {@code runtime}/{@code rt}/{@code r/t}, {@code compiler}/{@code cmp},
 * {@code job}, {@code default}) and levels ({@code none}, {@code debug}, {@code info},
 * {@code default}). Defaults: {@code default} for everything, {@code debug} for job logs.
 */
final class LogLevels {
  private static final Map<String, Integer> PRIORITY = Map.of(
      "debug", 0, "info", 1, "log", 1, "default", 2, "always", 2, "warn", 2, "success", 2,
      "none", 9, "error", 100);

  private final Map<String, String> levels = new HashMap<>();

  private LogLevels() {
    levels.put("default", "default");
    levels.put("job", "debug");
  }

  /** Parses the option; throws {@link IllegalArgumentException} with the fix on a bad value. */
  static LogLevels parse(String spec) {
    LogLevels result = new LogLevels();
    if (spec == null || spec.isBlank()) {
      return result;
    }
    for (String part : spec.split(",")) {
      String[] kv = part.trim().toLowerCase(Locale.ROOT).split("=", 2);
      String component = kv.length == 2 ? component(kv[0]) : "default";
      String level = kv.length == 2 ? kv[1] : kv[0];
      if (!level.equals("none") && !level.equals("debug") && !level.equals("info")
          && !level.equals("default")) {
        throw new IllegalArgumentException(
            "Unknown log level '" + level + "': use none, debug, info or default");
      }
      result.levels.put(component, level);
      if (kv.length == 1 && level.equals("none")) {
        result.levels.put("job", "none");
      }
    }
    return result;
  }

  private static String component(String name) {
    return switch (name) {
      case "cli" -> "cli";
      case "runtime", "rt", "r/t" -> "runtime";
      case "compiler", "cmp" -> "compiler";
      case "job" -> "job";
      case "default" -> "default";
      default -> throw new IllegalArgumentException("Unknown log component '" + name
          + "': use cli, runtime, compiler, job or default");
    };
  }

  /** The level for a logger name as the run process and engine send it (JOB, ADA, R/T, RTE...). */
  String levelFor(String loggerName) {
    String component = switch (loggerName.toUpperCase(Locale.ROOT)) {
      case "JOB", "ADA" -> "job";
      case "R/T" -> "runtime";
      case "CMP" -> "compiler";
      default -> "cli";
    };
    return levels.getOrDefault(component, levels.get("default"));
  }

  /** The job log level to send to the runtime, so filtered job lines are never sent. */
  String jobLevel() {
    return levelFor("JOB");
  }

  /** Whether a line of the given level from the given logger prints. Errors print even at none. */
  boolean shows(String loggerName, String lineLevel) {
    int line = PRIORITY.getOrDefault(lineLevel, 1);
    return line >= PRIORITY.get(levelFor(loggerName));
  }
}
