package dev.kiln.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.engine.RunEvent;
import dev.kiln.engine.RunListener;
import java.io.PrintWriter;
import java.util.Map;

/**
 * Shows a run as it goes: one line per finished step (name, status, duration, peak memory of
 * the run process) and the log lines the {@code --log} levels let through. Counts failed steps.
 */
final class RunProgress implements RunListener {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintWriter out;
  private final LogLevels levels;
  private final boolean json;
  private final Map<String, String> stepNames;
  private final StepCache cache;
  private int failedSteps;

  /**
   * @param stepNames step id → name for display
   * @param cache where step outputs go with {@code --cache-steps}, or null
   */
  RunProgress(PrintWriter out, LogLevels levels, boolean json, Map<String, String> stepNames,
      StepCache cache) {
    this.out = out;
    this.levels = levels;
    this.json = json;
    this.stepNames = stepNames;
    this.cache = cache;
  }

  int failedSteps() {
    return failedSteps;
  }

  @Override
  public void onEvent(RunEvent event) {
    switch (event.type()) {
      case RunEvent.LOG -> log(event);
      case RunEvent.AUTOINSTALL_COMPLETE -> cli("success", "Adaptor " + event.text("module") + "@"
          + event.text("version") + " ready (installed or found in the repo) in "
          + Durations.format(event.meta().path("duration").asLong()));
      case RunEvent.AUTOINSTALL_ERROR -> cli("error", "Failed to install " + event.text("module") + "@"
          + event.text("version") + ": " + event.text("message"));
      case RunEvent.COMPILE_COMPLETE -> cli("info",
          "Compiled all steps in " + Durations.format(event.meta().path("duration").asLong()));
      case RunEvent.STEP_COMPLETE -> stepLine(event, "✔", "success", null);
      case RunEvent.STEP_ERROR -> {
        failedSteps++;
        JsonNode error = event.meta().path("error");
        stepLine(event, "✖", error.path("severity").asText("fail"),
            error.path("type").asText(error.path("name").asText("Error")) + ": "
                + error.path("message").asText(""));
      }
      default -> { }
    }
    if (cache != null && RunEvent.STEP_COMPLETE.equals(event.type())) {
      cache.write(event.text("stepId"), event.state());
    }
  }

  private void stepLine(RunEvent event, String icon, String status, String detail) {
    if (json) {
      out.println(event.meta().deepCopy().put("event", event.type()).toString());
      return;
    }
    String id = event.text("stepId");
    String line = String.format("%s %-24s %-9s %8s   peak %4d MB", icon, stepNames.getOrDefault(id, id),
        status, Durations.format(event.meta().path("duration").asLong()),
        event.meta().path("peakRssMb").asLong());
    out.println(detail == null ? line : line + "   " + detail);
  }

  private void log(RunEvent event) {
    String name = event.meta().path("name").asText("RTE");
    String level = event.meta().path("level").asText("info");
    if (!levels.shows(name, level) || stepLineSaysIt(name, level)) {
      return;
    }
    if (json) {
      out.println(event.meta().toString());
      return;
    }
    out.println("[" + name + "] " + icon(level) + " " + messageText(event.meta().get("message")));
  }

  /**
   * The runtime's per-step "completed in" success lines repeat the step line; they show only
   * when the runtime's info lines do ({@code --log rt=info}).
   */
  private boolean stepLineSaysIt(String name, String level) {
    return !json && "R/T".equals(name) && "success".equals(level) && !levels.shows(name, "info");
  }

  private void cli(String level, String message) {
    if (levels.shows("CLI", level)) {
      out.println("[CLI] " + icon(level) + " " + message);
    }
  }

  /** The log's argument array (sent as a JSON string or an array) as one line of text. */
  static String messageText(JsonNode message) {
    JsonNode args = message;
    if (message != null && message.isTextual()) {
      try {
        args = JSON.readTree(message.asText());
      } catch (JsonProcessingException e) {
        return message.asText();
      }
    }
    if (args == null || !args.isArray()) {
      return args == null ? "" : render(args);
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode arg : args) {
      if (!text.isEmpty()) {
        text.append(' ');
      }
      text.append(render(arg));
    }
    return text.toString();
  }

  private static String render(JsonNode arg) {
    if (arg.isTextual()) {
      return arg.asText();
    }
    if (arg.isContainerNode()) {
      return arg.toPrettyString();
    }
    return arg.toString();
  }

  private static String icon(String level) {
    return switch (level) {
      case "error" -> "✖";
      case "warn" -> "⚠";
      case "success" -> "✔";
      case "always" -> "♦";
      case "debug" -> "❯";
      default -> "ℹ";
    };
  }
}
