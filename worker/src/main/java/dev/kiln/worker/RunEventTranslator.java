package dev.kiln.worker;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.kiln.engine.RunEvent;
import dev.kiln.engine.RunListener;
import dev.kiln.lightning.protocol.StreamedJson;
import dev.kiln.lightning.protocol.Timestamps;
import dev.kiln.runtime.protocol.Body;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Turns one run's engine events into the Lightning run-channel events (spec §3.2), in order:
 * {@code run:start}, {@code step:start}, {@code run:log}, {@code step:complete}, {@code run:complete},
 * with the worker-minted UUIDs, microsecond timestamps, dataclip bookkeeping (§4.6), payload and
 * log limits (§6) and reasons per step and per run (§5). States travel as the JSON text the run
 * process produced: the translator embeds them without parsing them. A large state is a file
 * (the engine spilled it): the payload refers to it ({@link StreamedJson}) and the socket writes it
 * from there, so no copy of it is held; {@code final_state} refers to the same file as the last
 * step's output when the engine found them equal.
 */
final class RunEventTranslator implements RunListener {
  static final String DATACLIP_TOO_LARGE = "DATACLIP_TOO_LARGE";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Body EMPTY_STATE = Body.ofText("{}");

  private final String runId;
  private final RunSettings options;
  private final Consumer<OutgoingEvent> out;
  private final Map<String, String> workerVersions;
  /** Plan step id → the ids its edges may lead to (disabled edges excluded), in plan order. */
  private final Map<String, List<String>> edges = new LinkedHashMap<>();
  private final Map<String, String> inputDataclips = new HashMap<>();
  private final Map<String, ExitReason> reasons = new LinkedHashMap<>();
  private final List<String> leafDataclipIds = new ArrayList<>();
  private int leafCount;
  private ActiveStep active;
  private boolean finished;
  private long lastLogMicros;

  private record ActiveStep(String stepId, String jobId) {}

  /**
   * @param plan the converted execution plan ({@code workflow.steps}, {@code options.start})
   * @param inputDataclipId the run's input dataclip id, or null
   * @param workerVersions {@code worker} and {@code engine} versions for {@code run:start}
   */
  RunEventTranslator(String runId, JsonNode plan, String inputDataclipId, RunSettings options,
      Map<String, String> workerVersions, Consumer<OutgoingEvent> out) {
    this.runId = runId;
    this.options = options;
    this.workerVersions = workerVersions;
    this.out = out;
    JsonNode steps = plan.path("workflow").path("steps");
    for (JsonNode step : steps) {
      List<String> targets = new ArrayList<>();
      JsonNode next = step.path("next");
      if (next.isObject()) {
        next.properties().forEach(e -> {
          JsonNode edge = e.getValue();
          boolean disabled = edge.isObject() && edge.path("disabled").asBoolean(false);
          if (!disabled && !(edge.isBoolean() && !edge.asBoolean())) {
            targets.add(e.getKey());
          }
        });
      } else if (next.isTextual()) {
        targets.add(next.asText());
      }
      edges.put(step.path("id").asText(), targets);
    }
    if (inputDataclipId != null && !edges.isEmpty()) {
      String start = plan.path("options").path("start").asText(edges.keySet().iterator().next());
      JsonNode startStep = null;
      for (JsonNode step : steps) {
        if (start.equals(step.path("id").asText())) {
          startStep = step;
        }
      }
      if (startStep != null && !startStep.hasNonNull("expression")) {
        edges.get(start).forEach(target -> inputDataclips.put(target, inputDataclipId));
      } else {
        inputDataclips.put(start, inputDataclipId);
      }
    }
  }

  @Override
  public void onEvent(RunEvent event) {
    if (finished) {
      return;
    }
    switch (event.type()) {
      case RunEvent.WORKFLOW_START -> runStarted(event.meta());
      case RunEvent.STEP_START -> stepStarted(event.meta());
      case RunEvent.LOG -> log(event.meta());
      case RunEvent.STEP_COMPLETE, RunEvent.STEP_ERROR -> stepEnded(event);
      case RunEvent.WORKFLOW_COMPLETE -> workflowCompleted(event.body());
      case RunEvent.WORKFLOW_ERROR -> failRun(ExitReason.ofError(event.meta()));
      default -> { } // compile and autoinstall progress: not sent to Lightning
    }
  }

  /**
   * Ends the run with an error: a {@code step:complete} for a step still open (spec §5.3), the
   * final-reason logs and {@code run:complete} with only the three reason fields.
   */
  void failRun(ExitReason reason) {
    if (finished) {
      return;
    }
    if (active != null) {
      ObjectNode payload = NODES.objectNode();
      payload.put("step_id", active.stepId());
      payload.put("job_id", active.jobId());
      payload.put("output_dataclip_id", UUID.randomUUID().toString());
      payload.put("output_dataclip", "{}");
      reason.writeTo(payload);
      reasons.put(active.jobId(), reason);
      active = null;
      out.accept(new OutgoingEvent(OutgoingEvent.STEP_COMPLETE, payload));
    }
    finalReasonLogs(reason);
    finished = true;
    out.accept(new OutgoingEvent(OutgoingEvent.RUN_COMPLETE, reason.writeTo(NODES.objectNode())));
  }

  boolean finished() {
    return finished;
  }

  private void runStarted(ObjectNode meta) {
    ObjectNode versions = NODES.objectNode();
    versions.put("worker", workerVersions.get("worker"));
    Map<String, JsonNode> adaptors = new TreeMap<>();
    meta.path("versions").properties().forEach(e -> {
      if (e.getValue().isArray()) {
        adaptors.put(e.getKey(), e.getValue());
      } else {
        versions.set(e.getKey(), e.getValue());
      }
    });
    versions.put("engine", workerVersions.get("engine"));
    adaptors.forEach(versions::set);
    ObjectNode payload = NODES.objectNode();
    payload.set("versions", versions);
    payload.put("timestamp", Timestamps.micros(Instant.now()));
    out.accept(new OutgoingEvent(OutgoingEvent.RUN_START, payload));
    statusLog("RTE", "Payload limit: " + RunSettings.mb(options.payloadLimitMb()) + "mb", null);
    statusLog("VER", versionBlock(versions), null);
  }

  /** The reference's version block: {@code ▸ name} padded to the longest name + 4, adaptors sorted. */
  static String versionBlock(ObjectNode versions) {
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("node.js", versions.path("node").asText("?"));
    rows.put("worker", versions.path("worker").asText("?"));
    versions.properties().forEach(e -> {
      if (e.getValue().isArray()) {
        List<String> list = new ArrayList<>();
        e.getValue().forEach(v -> list.add(v.asText()));
        rows.put(e.getKey(), String.join(", ", list));
      }
    });
    int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0) + 4;
    StringBuilder block = new StringBuilder("Versions:");
    rows.forEach((name, version) ->
        block.append("\n    ▸ ").append(name).append(" ".repeat(width - name.length())).append(version));
    return block.toString();
  }

  private void stepStarted(ObjectNode meta) {
    String jobId = meta.path("stepId").asText();
    active = new ActiveStep(UUID.randomUUID().toString(), jobId);
    ObjectNode payload = NODES.objectNode();
    payload.put("step_id", active.stepId());
    payload.put("job_id", jobId);
    String input = inputDataclips.get(jobId);
    if (input != null) {
      payload.put("input_dataclip_id", input);
    }
    payload.put("timestamp", time(meta));
    out.accept(new OutgoingEvent(OutgoingEvent.STEP_START, payload));
  }

  private void log(ObjectNode meta) {
    JsonNode message = meta.get("message");
    String text = message == null ? "[]" : message.isTextual() ? message.asText() : message.toString();
    if (text.isBlank() || "[]".equals(text.strip())) {
      return; // an empty console.log() sends nothing
    }
    ObjectNode payload = NODES.objectNode();
    payload.put("run_id", runId);
    if (options.logTooLarge(RunSettings.utf8Length(text))) {
      payload.putArray("message").add("(Log message redacted: exceeds "
          + RunSettings.mb(options.logPayloadLimitMb()) + "mb memory limit)");
    } else if (text.startsWith("[")) {
      payload.putRawValue("message", new RawValue(text));
    } else {
      payload.putArray("message").add(text);
    }
    payload.put("source", meta.path("name").asText("R/T"));
    String level = meta.path("level").asText("info");
    payload.put("level", "log".equals(level) ? "info" : level);
    payload.put("timestamp", distinctLogTime(time(meta)));
    if (active != null) {
      payload.put("step_id", active.stepId());
    }
    out.accept(new OutgoingEvent(OutgoingEvent.RUN_LOG, payload));
  }

  private void stepEnded(RunEvent event) {
    ObjectNode meta = event.meta();
    String jobId = meta.path("stepId").asText();
    String stepId = active != null && active.jobId().equals(jobId) ? active.stepId() : UUID.randomUUID().toString();
    active = null;
    ExitReason reason = RunEvent.STEP_ERROR.equals(event.type()) && meta.has("error")
        ? ExitReason.ofError(meta.get("error"))
        : ExitReason.SUCCESS;
    reasons.put(jobId, reason);

    Body state = event.body() == null ? EMPTY_STATE : event.body();
    // redacted: the engine did not keep a state over the payload limit (RunSettings.limits)
    boolean tooLarge = meta.path("redacted").asBoolean(false) || options.stateTooLarge(state.length());
    if (tooLarge) {
      statusLog("R/T", "Dataclip exceeds payload limit: output will not be sent back to the app.", stepId);
    }
    ObjectNode payload = NODES.objectNode();
    payload.put("step_id", stepId);
    payload.put("job_id", jobId);
    String dataclipId = null;
    if (tooLarge) {
      payload.put("output_dataclip_error", DATACLIP_TOO_LARGE);
    } else {
      dataclipId = UUID.randomUUID().toString();
      payload.put("output_dataclip_id", dataclipId);
      if (options.outputDataclips()) {
        if (state.file() == null) {
          payload.put("output_dataclip", state.text());
        } else {
          payload.putPOJO("output_dataclip", StreamedJson.string(state.file(), state.length()));
        }
      }
    }
    reason.writeTo(payload);
    ObjectNode mem = payload.putObject("mem");
    mem.put("job", meta.path("mem").path("job").asLong(0));
    mem.put("system", meta.path("mem").path("system").asLong(0));
    payload.put("duration", meta.path("duration").asLong(0));
    payload.put("thread_id", meta.path("threadId").isNumber() ? meta.get("threadId").asInt() : 1);
    payload.put("timestamp", time(meta));
    JsonNode webhookResponse = webhookResponse(state);
    if (webhookResponse != null) {
      payload.set("webhook_response", webhookResponse);
    }

    JsonNode next = meta.path("next");
    if (next.isArray() && !next.isEmpty()) {
      for (JsonNode n : next) {
        if (dataclipId != null) {
          inputDataclips.put(n.asText(), dataclipId);
        } else {
          inputDataclips.remove(n.asText());
        }
      }
    } else {
      leafCount++;
      if (dataclipId != null) {
        leafDataclipIds.add(dataclipId);
      }
    }
    out.accept(new OutgoingEvent(OutgoingEvent.STEP_COMPLETE, payload));
  }

  /**
   * {@code state.webhookResponse} when truthy. The state is read as a stream of tokens, skipping
   * every other top-level field: only that field's value is ever built in memory.
   */
  private static JsonNode webhookResponse(Body state) {
    try (InputStream in = state.open(); JsonParser parser = JSON.createParser(in)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonNode value = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        boolean wanted = "webhookResponse".equals(parser.currentName());
        parser.nextToken();
        if (wanted) {
          value = JSON.readTree(parser);
        } else {
          parser.skipChildren();
        }
      }
      boolean falsy = value == null || value.isNull() || (value.isBoolean() && !value.asBoolean())
          || (value.isNumber() && value.asDouble() == 0) || (value.isTextual() && value.asText().isEmpty());
      return falsy ? null : value;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private void workflowCompleted(Body finalState) {
    ExitReason reason = runReason();
    finalReasonLogs(reason);
    ObjectNode payload = reason.writeTo(NODES.objectNode());
    payload.put("timestamp", Timestamps.micros(Instant.now()));
    if (finalState != null && finalState.startsWith('{')) {
      if (options.stateTooLarge(finalState.length())) {
        payload.putObject("final_state").put("data", "[REDACTED]");
      } else if (finalState.file() == null) {
        payload.putRawValue("final_state", new RawValue(finalState.text()));
      } else {
        payload.putPOJO("final_state", StreamedJson.raw(finalState.file(), finalState.length()));
      }
    }
    if (leafCount == 1 && leafDataclipIds.size() == 1) {
      payload.put("final_dataclip_id", leafDataclipIds.get(0));
    }
    finished = true;
    out.accept(new OutgoingEvent(OutgoingEvent.RUN_COMPLETE, payload));
  }

  /**
   * Spec §5.3: the first leaf (a step none of whose targets ran) that failed makes the run fail;
   * a failure whose failure path ran is handled, not a run failure.
   */
  ExitReason runReason() {
    for (Map.Entry<String, List<String>> step : edges.entrySet()) {
      ExitReason reason = reasons.get(step.getKey());
      if (reason == null || !"fail".equals(reason.reason())) {
        continue;
      }
      boolean leaf = step.getValue().stream().noneMatch(reasons::containsKey);
      if (leaf) {
        return reason;
      }
    }
    return ExitReason.SUCCESS;
  }

  private void finalReasonLogs(ExitReason reason) {
    statusLog("R/T", "Run complete with status: " + reason.reason(), null);
    if (!reason.isSuccess()) {
      statusLog("R/T", reason.errorType() + ": "
          + (reason.errorMessage() == null ? "unknown" : reason.errorMessage()), null);
    }
  }

  /** The run process' nanosecond {@code time} as microseconds; now for events that have none. */
  private static String time(ObjectNode meta) {
    String nanos = meta.path("time").asText("");
    return nanos.matches("[0-9]{10,}") ? Timestamps.fromNanos(nanos) : Timestamps.micros(Instant.now());
  }

  /**
   * The job's log lines get strictly increasing timestamps (one microsecond later than the
   * previous line when the run process gave the same one): a line's timestamp then tells it apart
   * from every other line of the run, so a server can recognise a line sent again after a lost
   * reply (the dev server does) without dropping two equal lines the job logged.
   */
  private String distinctLogTime(String micros) {
    long t = Long.parseLong(micros);
    lastLogMicros = t > lastLogMicros ? t : lastLogMicros + 1;
    return Long.toString(lastLogMicros);
  }

  /** A worker status line, back-dated 10 ms as in the reference. */
  private void statusLog(String source, String message, String stepId) {
    ObjectNode payload = NODES.objectNode();
    payload.put("run_id", runId);
    ArrayNode lines = payload.putArray("message");
    lines.add(message);
    payload.put("source", source);
    payload.put("level", "info");
    payload.put("timestamp", Timestamps.micros(Instant.now().minusMillis(10)));
    if (stepId != null) {
      payload.put("step_id", stepId);
    }
    out.accept(new OutgoingEvent(OutgoingEvent.RUN_LOG, payload));
  }
}
