package dev.kiln.devserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs in the database: submission, the claim queue, the janitor's lost-run query, and the
 * read models of the REST API. The run channel's writes are in {@link RunChannel}.
 */
final class RunStore {
  /** A claimed run: its id and how long its token must stay valid. */
  record Claimed(String id, long timeoutMs) {}

  private final Database database;
  private final DevServerConfig config;

  RunStore(Database database, DevServerConfig config) {
    this.database = database;
    this.config = config;
  }

  /** Stores the workflow, its credentials and input, and queues a run. Returns the run id. */
  String enqueue(PlanIntake.Intake intake, JsonNode input, Map<String, JsonNode> extraCredentials) {
    String workflowId = UUID.randomUUID().toString();
    String runId = UUID.randomUUID().toString();
    long now = Clock.nowMicros();
    ObjectNode plan = intake.plan();
    long timeoutMs = plan.get("options").has("run_timeout_ms")
        ? plan.get("options").get("run_timeout_ms").asLong() : config.defaultRunTimeout().toMillis();
    return database.transaction(() -> {
      for (Map<String, JsonNode> credentials : List.of(intake.credentials(), extraCredentials)) {
        for (Map.Entry<String, JsonNode> entry : credentials.entrySet()) {
          database.update("INSERT INTO credentials (id, body) VALUES (?, ?)"
              + " ON CONFLICT (id) DO UPDATE SET body = excluded.body", entry.getKey(), Json.write(entry.getValue()));
        }
      }
      database.update("INSERT INTO workflows (id, name, plan, created_at) VALUES (?, ?, ?, ?)",
          workflowId, plan.path("name").asText(null), Json.write(plan), now);
      String dataclipId = null;
      if (input != null && !input.isMissingNode()) {
        dataclipId = UUID.randomUUID().toString();
        database.update("INSERT INTO dataclips (id, body, type, created_at) VALUES (?, ?, 'saved_input', ?)",
            dataclipId, Json.write(input), now);
      }
      database.update("INSERT INTO runs (id, workflow_id, dataclip_id, state, timeout_ms, created_at)"
          + " VALUES (?, ?, ?, 'available', ?, ?)", runId, workflowId, dataclipId, timeoutMs, now);
      return runId;
    });
  }

  /** Claims up to {@code demand} available runs, oldest first. */
  List<Claimed> claim(int demand, String workerName) {
    return database.transaction(() -> {
      List<Claimed> claimed = new ArrayList<>();
      for (ObjectNode row : database.query(
          "SELECT id, timeout_ms FROM runs WHERE state = 'available' ORDER BY seq LIMIT ?", Math.max(0, demand))) {
        database.update("UPDATE runs SET state = 'claimed', claimed_at = ?, worker_name = ? WHERE id = ?",
            Clock.nowMicros(), workerName, row.get("id").asText());
        claimed.add(new Claimed(row.get("id").asText(), row.get("timeout_ms").asLong()));
      }
      return claimed;
    });
  }

  /**
   * Puts a claimed run whose channel was never joined back in the queue (newest Lightning's
   * per-claim timer). Returns whether it did.
   */
  boolean rollBackIfNotJoined(String runId) {
    return database.transaction(() -> {
      boolean rolledBack = database.update("UPDATE runs SET state = 'available', claimed_at = NULL,"
          + " worker_name = NULL WHERE id = ? AND state = 'claimed' AND joined_at IS NULL", runId) == 1;
      if (rolledBack) {
        database.insert("INSERT INTO run_events (run_id, event, payload) VALUES (?, 'run:rollback', ?)", runId,
            Json.write(Json.object().put("state", "available")));
      }
      return rolledBack;
    });
  }

  boolean exists(String runId) {
    return database.transaction(() -> database.queryOne("SELECT 1 AS one FROM runs WHERE id = ?", runId).isPresent());
  }

  /**
   * The janitor's query ({@code Runs.Query.lost}): unfinished runs whose claim time + run
   * timeout + grace is past are marked {@code lost} with {@code LostAfterClaim} /
   * {@code LostAfterStart}; their unfinished steps get exit reason {@code lost}. Returns the ids.
   */
  List<String> markLost(Duration grace) {
    long now = Clock.nowMicros();
    return database.transaction(() -> {
      List<String> lost = new ArrayList<>();
      for (ObjectNode row : database.query("SELECT id, state FROM runs WHERE state IN ('claimed', 'started')"
          + " AND finished_at IS NULL AND claimed_at + (timeout_ms + ?) * 1000 < ?", grace.toMillis(), now)) {
        String id = row.get("id").asText();
        String errorType = switch (row.get("state").asText()) {
          case "claimed" -> "LostAfterClaim";
          case "started" -> "LostAfterStart";
          default -> "UnknownReason";
        };
        database.update("UPDATE runs SET state = 'lost', error_type = ?, error_message = NULL, finished_at = ?"
            + " WHERE id = ?", errorType, now, id);
        database.update("UPDATE steps SET exit_reason = 'lost', finished_at = ? WHERE run_id = ?"
            + " AND finished_at IS NULL", now, id);
        database.insert("INSERT INTO run_events (run_id, event, payload) VALUES (?, 'run:lost', ?)", id,
            Json.write(Json.object().put("state", "lost").put("error_type", errorType)));
        lost.add(id);
      }
      return lost;
    });
  }

  /** Runs, newest first (only those in {@code state} if not null): id, state, error fields and times. */
  ArrayNode list(String state, int limit) {
    return database.transaction(() -> {
      ArrayNode result = Json.MAPPER.createArrayNode();
      for (ObjectNode row : database.query("SELECT r.id, r.state, r.error_type, r.error_message, r.created_at,"
          + " r.claimed_at, r.started_at, r.finished_at, w.name AS workflow_name FROM runs r"
          + " JOIN workflows w ON w.id = r.workflow_id WHERE ? IS NULL OR r.state = ? ORDER BY r.seq DESC LIMIT ?",
          state, state, limit)) {
        result.add(withIsoTimes(row));
      }
      return result;
    });
  }

  /** A run with its plan, input, steps (with their dataclips), logs and final state. */
  Optional<ObjectNode> detail(String runId) {
    return database.transaction(() -> {
      Optional<ObjectNode> found = database.queryOne("SELECT r.*, w.name AS workflow_name, w.plan AS plan"
          + " FROM runs r JOIN workflows w ON w.id = r.workflow_id WHERE r.id = ?", runId);
      if (found.isEmpty()) {
        return Optional.<ObjectNode>empty();
      }
      ObjectNode run = found.get();
      run.remove("seq");
      run.remove("timeout_ms");
      run.set("plan", Json.parse(run.get("plan").asText()));
      run.set("final_state", run.hasNonNull("final_state") ? Json.parse(run.get("final_state").asText()) : null);
      run.set("input", dataclip(run.path("dataclip_id").asText(null)));
      ArrayNode steps = run.putArray("steps");
      for (ObjectNode step : database.query("SELECT * FROM steps WHERE run_id = ? ORDER BY seq", runId)) {
        step.remove("seq");
        step.remove("run_id");
        step.set("input_dataclip", dataclip(step.path("input_dataclip_id").asText(null)));
        step.set("output_dataclip", dataclip(step.path("output_dataclip_id").asText(null)));
        steps.add(withIsoTimes(step));
      }
      ArrayNode logs = run.putArray("logs");
      for (ObjectNode log : database.query("SELECT step_id, source, level, message, timestamp FROM logs"
          + " WHERE run_id = ? ORDER BY timestamp, id", runId)) {
        log.set("message", Json.parse(log.get("message").asText()));
        logs.add(withIsoTimes(log));
      }
      return Optional.of(withIsoTimes(run));
    });
  }

  /** Stored worker events of a run after {@code afterId}, oldest first: {id, event, payload}. */
  List<ObjectNode> eventsAfter(String runId, long afterId) {
    return database.transaction(() -> database.query(
        "SELECT id, event, payload FROM run_events WHERE run_id = ? AND id > ? ORDER BY id", runId, afterId));
  }

  private JsonNode dataclip(String id) throws SQLException {
    if (id == null) {
      return null;
    }
    return database.queryOne("SELECT body FROM dataclips WHERE id = ?", id)
        .map(row -> Json.parse(row.get("body").asText())).orElse(null);
  }

  private static ObjectNode withIsoTimes(ObjectNode row) {
    for (String key : List.of("created_at", "claimed_at", "started_at", "finished_at", "timestamp")) {
      if (row.hasNonNull(key)) {
        row.put(key, Clock.iso(row.get(key).asLong()));
      }
    }
    return row;
  }
}
