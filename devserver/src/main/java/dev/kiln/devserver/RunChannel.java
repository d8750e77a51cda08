package dev.kiln.devserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The {@code run:<id>} channel: join with the run token, the three fetches and the worker's
 * events, each validated the way Lightning does (required fields, the order of a run and its
 * steps) and stored in one transaction. In mock-quirks mode the checks and reply shapes are the
 * lightning-mock's (spec §8.4).
 */
final class RunChannel {
  private static final Set<String> LOG_LEVELS = Set.of("success", "always", "info", "warn", "error", "debug");
  private static final Set<String> STEP_REASONS =
      Set.of("success", "fail", "crash", "kill", "exception", "cancel", "lost");
  /** Events a worker may resend after a lost reply; an exact copy of a stored one is answered as delivered. */
  private static final Set<String> IDEMPOTENT_EVENTS = Set.of("run:start", "step:start", "step:complete", "run:complete");
  private static final Set<String> MOCK_COMPLETE_KEYS =
      Set.of("final_dataclip_id", "final_state", "reason", "error_type", "error_message", "timestamp");

  private final Database database;
  private final RunTokens tokens;
  private final DevServerConfig config;
  private final Consumer<String> onEvent;

  RunChannel(Database database, RunTokens tokens, DevServerConfig config, Consumer<String> onEvent) {
    this.database = database;
    this.tokens = tokens;
    this.config = config;
    this.onEvent = onEvent;
  }

  Reply join(String runId, JsonNode payload) {
    String token = payload.path("token").asText("");
    boolean exists = database.transaction(() ->
        database.queryOne("SELECT 1 AS one FROM runs WHERE id = ?", runId).isPresent());
    if (config.mockQuirks()) {
      if (!exists) {
        return Reply.error("invalid_run_id");
      }
      return token.isEmpty() ? Reply.error("invalid_token") : Reply.ok(com.fasterxml.jackson.databind.node.TextNode
          .valueOf("ok"));
    }
    if (!tokens.verifiedRunId(token).map(runId::equals).orElse(false)) {
      return Reply.error(Json.object().put("reason", "unauthorized"));
    }
    if (!exists) {
      return Reply.error(Json.object().put("reason", "not_found"));
    }
    database.transaction(() -> database.update("UPDATE runs SET joined_at = COALESCE(joined_at, ?) WHERE id = ?",
        Clock.nowMicros(), runId));
    return Reply.ok(Json.object());
  }

  Reply handle(String runId, String event, JsonNode payload) {
    Reply reply = database.transaction(() -> {
      Optional<ObjectNode> found = database.queryOne("SELECT * FROM runs WHERE id = ?", runId);
      if (found.isEmpty()) {
        return Reply.error(config.mockQuirks() ? "There are no listeners on channel run:" + runId
            : "not_found");
      }
      ObjectNode run = found.get();
      if (!config.mockQuirks() && isStoredAlready(runId, event, payload)) {
        return Reply.ok(Json.object().put("duplicate", true));
      }
      RunState state = RunState.of(run.get("state").asText());
      if (state.isFinal()) {
        return afterFinal(run, event, payload);
      }
      return switch (event) {
        case "fetch:plan" -> Reply.ok(plan(run));
        case "fetch:dataclip" -> fetchDataclip(run, payload);
        case "fetch:credential" -> fetchCredential(payload);
        case "run:start" -> runStart(run, state, payload);
        case "step:start" -> stepStart(run, state, payload);
        case "run:log" -> runLog(run, payload);
        case "run:batch_logs" -> batchLogs(run, payload);
        case "step:complete" -> stepComplete(run, state, payload);
        case "run:complete" -> runComplete(run, payload);
        default -> Reply.error(config.mockQuirks() ? "There are no listeners on channel run:" + runId
            : "unknown event " + event);
      };
    });
    if (!reply.silent() && "ok".equals(reply.status()) && !event.startsWith("fetch:")
        && !reply.response().path("duplicate").asBoolean(false)) {
      onEvent.accept(runId);
    }
    return reply;
  }

  /**
   * Whether this exact event (same name, same payload) is stored for the run: a worker resending
   * it because the reply was lost. Lightning's own answers to such a resend are errors ("has
   * already been taken", "already in completed state") that a worker must recognise; this server
   * answers {@code ok} with {@code {"duplicate": true}} and stores nothing twice. (Log lines are
   * matched line by line, {@link #storedLog}.)
   */
  private boolean isStoredAlready(String runId, String event, JsonNode payload) throws SQLException {
    return IDEMPOTENT_EVENTS.contains(event) && database.queryOne(
        "SELECT 1 AS one FROM run_events WHERE run_id = ? AND event = ? AND payload = ?",
        runId, event, Json.write(payload)).isPresent();
  }

  /**
   * A final run accepts nothing: Lightning answers "already in completed state". A late
   * {@code run:complete} (the worker finished after the janitor marked the run lost) is recorded
   * as {@code late_reason} but does not change the state (lightning#4565 shows Lightning flipping
   * lost runs to success; a lost run stays lost here).
   */
  private Reply afterFinal(ObjectNode run, String event, JsonNode payload) throws SQLException {
    String runId = run.get("id").asText();
    if (event.equals("fetch:plan")) {
      return Reply.ok(plan(run));
    }
    if (event.equals("run:complete") && run.get("late_reason").isNull()) {
      database.update("UPDATE runs SET late_reason = ? WHERE id = ?", payload.path("reason").asText(null), runId);
      record(runId, "run:complete:late", payload);
    }
    return config.mockQuirks() ? Reply.error("There are no listeners on channel run:" + runId)
        : Reply.fieldError("state", "already in completed state");
  }

  private ObjectNode plan(ObjectNode run) throws SQLException {
    ObjectNode stored = (ObjectNode) Json.parse(database.queryOne("SELECT plan FROM workflows WHERE id = ?",
        run.get("workflow_id").asText()).orElseThrow().get("plan").asText());
    ObjectNode plan = Json.object();
    plan.put("id", run.get("id").asText());
    if (stored.hasNonNull("name")) {
      plan.set("name", stored.get("name"));
    }
    plan.put("project_id", config.projectId());
    plan.set("dataclip_id", run.get("dataclip_id"));
    if (stored.hasNonNull("starting_node_id")) {
      plan.set("starting_node_id", stored.get("starting_node_id"));
    } else if (!stored.get("triggers").isEmpty()) {
      plan.set("starting_node_id", stored.get("triggers").get(0).get("id"));
    }
    for (String key : List.of("triggers", "jobs", "edges", "options", "globals")) {
      if (stored.has(key)) {
        plan.set(key, stored.get(key));
      }
    }
    return plan;
  }

  private Reply fetchDataclip(ObjectNode run, JsonNode payload) throws SQLException {
    if (config.mockQuirks()) {
      // The mock looks the id up and replies with the JSON bytes as an array of numbers.
      Optional<ObjectNode> clip = database.queryOne("SELECT body FROM dataclips WHERE id = ?",
          payload.path("id").asText(""));
      if (clip.isEmpty()) {
        return Reply.error("not_found");
      }
      ArrayNode bytes = Json.MAPPER.createArrayNode();
      for (byte b : clip.get().get("body").asText().getBytes(StandardCharsets.UTF_8)) {
        bytes.add(b & 0xff);
      }
      return Reply.ok(bytes);
    }
    // Lightning ignores the id and sends the run's input dataclip, raw, in a binary reply.
    String body = run.get("dataclip_id").isNull() ? "null"
        : database.queryOne("SELECT body FROM dataclips WHERE id = ?", run.get("dataclip_id").asText())
            .map(row -> row.get("body").asText()).orElse("null");
    return Reply.binary(body.getBytes(StandardCharsets.UTF_8));
  }

  private Reply fetchCredential(JsonNode payload) throws SQLException {
    String id = payload.path("id").asText("");
    if (config.mockQuirks() && id.equals("%TIMEOUT%")) {
      return Reply.none();
    }
    return database.queryOne("SELECT body FROM credentials WHERE id = ?", id)
        .map(row -> Reply.ok(Json.parse(row.get("body").asText())))
        .orElseGet(() -> Reply.fieldError("id", "Credential not found!"));
  }

  private Reply runStart(ObjectNode run, RunState state, JsonNode payload) throws SQLException {
    if (state != RunState.CLAIMED) {
      return Reply.fieldError("state", "cannot start a run in state " + state.wire());
    }
    database.update("UPDATE runs SET state = 'started', started_at = ? WHERE id = ?",
        Clock.fromWorker(payload.get("timestamp")), run.get("id").asText());
    record(run.get("id").asText(), "run:start", payload);
    return Reply.ok(null);
  }

  private Reply stepStart(ObjectNode run, RunState state, JsonNode payload) throws SQLException {
    String runId = run.get("id").asText();
    String stepId = payload.path("step_id").asText("");
    String jobId = payload.path("job_id").asText("");
    if (jobId.isEmpty()) {
      return Reply.fieldError("job_id", "This field can't be blank.");
    }
    if (stepId.isEmpty()) {
      return Reply.fieldError("step_id", "This field can't be blank.");
    }
    if (config.mockQuirks()) {
      return insertStep(runId, stepId, jobId, payload);
    }
    if (state != RunState.STARTED) {
      return Reply.fieldError("run_id", "run:start has not been received for this run");
    }
    if (!isUuid(stepId)) {
      return Reply.fieldError("step_id", "is invalid");
    }
    if (!jobIds(run).contains(jobId)) {
      return Reply.fieldError("job_id", "does not exist");
    }
    String input = payload.path("input_dataclip_id").asText(null);
    if (input != null && database.queryOne("SELECT 1 AS one FROM dataclips WHERE id = ?", input).isEmpty()) {
      // Lightning's steps reference dataclips: a withheld (too large) output must not be named here.
      return Reply.fieldError("input_dataclip_id", "does not exist");
    }
    return insertStep(runId, stepId, jobId, payload);
  }

  private Reply insertStep(String runId, String stepId, String jobId, JsonNode payload) throws SQLException {
    if (database.queryOne("SELECT 1 AS one FROM steps WHERE id = ?", stepId).isPresent()) {
      return Reply.fieldError("step_id", "has already been taken");
    }
    database.update("INSERT INTO steps (id, run_id, job_id, input_dataclip_id, started_at) VALUES (?, ?, ?, ?, ?)",
        stepId, runId, jobId, payload.path("input_dataclip_id").asText(null), Clock.fromWorker(payload.get("timestamp")));
    record(runId, "step:start", payload);
    return Reply.ok(Json.object().put("step_id", stepId));
  }

  private Reply runLog(ObjectNode run, JsonNode payload) throws SQLException {
    String runId = run.get("id").asText();
    Optional<Reply> invalid = invalidLog(runId, payload);
    if (invalid.isPresent()) {
      return invalid.get();
    }
    Optional<Long> stored = storedLog(runId, payload);
    if (stored.isPresent()) {
      return Reply.ok(Json.object().put("log_line_id", Long.toString(stored.get())).put("duplicate", true));
    }
    long id = insertLog(runId, payload);
    record(runId, "run:log", payload);
    return Reply.ok(Json.object().put("log_line_id", Long.toString(id)));
  }

  private Reply batchLogs(ObjectNode run, JsonNode payload) throws SQLException {
    String runId = run.get("id").asText();
    JsonNode logs = payload.get("logs");
    if (logs == null || !logs.isArray()) {
      return Reply.fieldError("logs", "This field can't be blank.");
    }
    for (JsonNode log : logs) {
      Optional<Reply> invalid = invalidLog(runId, log);
      if (invalid.isPresent()) {
        return invalid.get();
      }
    }
    int inserted = 0;
    for (JsonNode log : logs) {
      if (storedLog(runId, log).isEmpty()) {
        insertLog(runId, log);
        inserted++;
      }
    }
    if (inserted == 0 && !logs.isEmpty()) {
      return Reply.ok(Json.object().put("duplicate", true));
    }
    record(runId, "run:batch_logs", payload);
    return Reply.ok(Json.object());
  }

  /**
   * The id of a stored line equal to {@code log} — same step, source, level, message and worker
   * timestamp: the same line sent again by a worker whose reply was lost (Kiln's worker journals
   * each line with its microsecond timestamp and keeps a run's timestamps distinct, so two lines
   * a job really logged never look alike). A line without a worker timestamp is never a resend.
   */
  private Optional<Long> storedLog(String runId, JsonNode log) throws SQLException {
    if (config.mockQuirks() || !log.path("timestamp").asText("").trim().matches("\\d{13,19}")) {
      return Optional.empty();
    }
    return database.queryOne("SELECT id FROM logs WHERE run_id = ? AND timestamp = ? AND message = ?"
            + " AND step_id IS ? AND source IS ? AND level = ?", runId, Clock.fromWorker(log.get("timestamp")),
        Json.write(log.get("message")), log.path("step_id").asText(null), log.path("source").asText(null),
        log.path("level").asText("info")).map(row -> row.get("id").asLong());
  }

  private Optional<Reply> invalidLog(String runId, JsonNode log) throws SQLException {
    JsonNode message = log.get("message");
    if (config.mockQuirks()) {
      for (String key : List.of("message", "source", "timestamp", "level")) {
        if (!truthy(log.get(key))) {
          return Optional.of(Reply.error("Invalid log: missing " + key));
        }
      }
      return Optional.empty();
    }
    if (message == null || message.isNull()) {
      return Optional.of(Reply.fieldError("message", "This field can't be blank."));
    }
    if (log.hasNonNull("level") && !LOG_LEVELS.contains(log.get("level").asText())) {
      return Optional.of(Reply.fieldError("level", "is invalid"));
    }
    if (log.hasNonNull("source") && log.get("source").asText().length() > 8) {
      return Optional.of(Reply.fieldError("source", "should be at most 8 character(s)"));
    }
    if (log.hasNonNull("step_id") && database.queryOne("SELECT 1 AS one FROM steps WHERE id = ? AND run_id = ?",
        log.get("step_id").asText(), runId).isEmpty()) {
      return Optional.of(Reply.fieldError("step_id", "must be associated with the run"));
    }
    return Optional.empty();
  }

  private long insertLog(String runId, JsonNode log) throws SQLException {
    JsonNode message = log.get("message");
    return database.insert("INSERT INTO logs (run_id, step_id, source, level, message, timestamp)"
            + " VALUES (?, ?, ?, ?, ?, ?)", runId, log.path("step_id").asText(null), log.path("source").asText(null),
        log.path("level").asText("info"), Json.write(message), Clock.fromWorker(log.get("timestamp")));
  }

  private Reply stepComplete(ObjectNode run, RunState state, JsonNode payload) throws SQLException {
    String runId = run.get("id").asText();
    String stepId = payload.path("step_id").asText("");
    String reason = payload.path("reason").asText("");
    if (stepId.isEmpty()) {
      return Reply.fieldError("step_id", "This field can't be blank.");
    }
    if (reason.isEmpty()) {
      return Reply.fieldError("reason", "This field can't be blank.");
    }
    if (!STEP_REASONS.contains(reason)) {
      return Reply.fieldError("reason", "is invalid");
    }
    Optional<ObjectNode> step = database.queryOne("SELECT * FROM steps WHERE id = ? AND run_id = ?", stepId, runId);
    if (step.isEmpty()) {
      return Reply.fieldError("step_id", "step " + stepId + " was not started in this run (send step:start first)");
    }
    if (!step.get().get("finished_at").isNull()) {
      return Reply.fieldError("step_id", "step " + stepId + " is already complete");
    }
    boolean hasClip = payload.hasNonNull("output_dataclip");
    boolean hasClipId = payload.hasNonNull("output_dataclip_id");
    if (config.mockQuirks() && !(hasClip && hasClipId)) {
      return Reply.error("Invalid step:complete: output_dataclip and output_dataclip_id are required");
    }
    if (hasClip && !hasClipId) {
      return Reply.fieldError("output_dataclip_id", "This field can't be blank.");
    }
    if (hasClipId && !hasClip && savesDataclips(run)) {
      return Reply.fieldError("output_dataclip", "This field can't be blank.");
    }
    String clipId = hasClipId ? payload.get("output_dataclip_id").asText() : null;
    if (hasClipId) {
      // Without a body (output_dataclips: false) Lightning still keeps the dataclip, wiped.
      String body = !hasClip ? "null" : payload.get("output_dataclip").isTextual()
          ? payload.get("output_dataclip").asText() : Json.write(payload.get("output_dataclip"));
      try {
        Json.parse(body);
      } catch (IllegalArgumentException e) {
        return Reply.fieldError("output_dataclip", "is not valid JSON");
      }
      if (database.queryOne("SELECT 1 AS one FROM dataclips WHERE id = ?", clipId).isPresent()) {
        return Reply.fieldError("output_dataclip_id", "has already been taken");
      }
      database.update("INSERT INTO dataclips (id, body, type, created_at) VALUES (?, ?, ?, ?)",
          clipId, body, hasClip ? "step_result" : "wiped", Clock.nowMicros());
    }
    database.update("UPDATE steps SET exit_reason = ?, error_type = ?, error_message = ?, output_dataclip_id = ?,"
            + " output_dataclip_error = ?, finished_at = ? WHERE id = ?", reason,
        payload.path("error_type").asText(null), payload.path("error_message").asText(null), clipId,
        payload.path("output_dataclip_error").asText(null), Clock.fromWorker(payload.get("timestamp")), stepId);
    record(runId, "step:complete", payload);
    return Reply.ok(Json.object().put("step_id", stepId));
  }

  private boolean savesDataclips(ObjectNode run) throws SQLException {
    return plan(run).path("options").path("output_dataclips").asBoolean(true);
  }

  private Reply runComplete(ObjectNode run, JsonNode payload) throws SQLException {
    String runId = run.get("id").asText();
    String reason = payload.path("reason").asText(null);
    if (config.mockQuirks()) {
      Set<String> unexpected = new HashSet<>();
      payload.fieldNames().forEachRemaining(unexpected::add);
      unexpected.removeAll(MOCK_COMPLETE_KEYS);
      if (!unexpected.isEmpty()) {
        return Reply.error("Unexpected keys: " + String.join(",", unexpected));
      }
      if (reason == null || !reason.matches("^(success|fail|crash|exception|kill)$")) {
        return Reply.error("Invalid reason: " + reason);
      }
      if (reason.equals("success") && (payload.hasNonNull("error_type") || payload.hasNonNull("error_message"))) {
        return Reply.error("success must not have an error_type or error_message");
      }
    }
    if (reason == null) {
      return Reply.fieldError("reason", "This field can't be blank.");
    }
    Optional<RunState> next = RunState.fromReason(reason);
    if (next.isEmpty()) {
      return Reply.fieldError("state", "is invalid");
    }
    database.update("UPDATE runs SET state = ?, error_type = ?, error_message = ?, finished_at = ?,"
            + " final_dataclip_id = ?, final_state = ? WHERE id = ?", next.get().wire(),
        payload.path("error_type").asText(null), payload.path("error_message").asText(null),
        Clock.fromWorker(payload.get("timestamp")), payload.path("final_dataclip_id").asText(null),
        payload.has("final_state") ? Json.write(payload.get("final_state")) : null, runId);
    record(runId, "run:complete", payload);
    return Reply.ok(null);
  }

  private Set<String> jobIds(ObjectNode run) throws SQLException {
    Set<String> ids = new HashSet<>();
    for (Iterator<JsonNode> it = plan(run).path("jobs").elements(); it.hasNext(); ) {
      ids.add(it.next().path("id").asText());
    }
    return ids;
  }

  private void record(String runId, String event, JsonNode payload) throws SQLException {
    database.insert("INSERT INTO run_events (run_id, event, payload) VALUES (?, ?, ?)", runId, event,
        Json.write(payload));
  }

  private static boolean truthy(JsonNode value) {
    return value != null && !value.isNull() && !(value.isTextual() && value.asText().isEmpty())
        && !(value.isBoolean() && !value.asBoolean()) && !(value.isNumber() && value.asDouble() == 0);
  }

  private static boolean isUuid(String text) {
    try {
      return UUID.fromString(text).toString().equalsIgnoreCase(text);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
