package dev.kiln.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers one run's events to its listener: stamps the {@code workflowId}, shields the run from
 * a failing listener, and guarantees exactly one final event.
 */
final class RunEmitter {
  private static final Logger LOG = Logger.getLogger(RunEmitter.class.getName());

  private final RunListener listener;
  private final String workflowId;
  private final long startNanos = System.nanoTime();
  private boolean listenerFailed;
  private RunOutcome outcome;

  RunEmitter(RunListener listener, String workflowId) {
    this.listener = listener;
    this.workflowId = workflowId;
  }

  static ObjectNode meta() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** Delivers a non-final event; ignored once the run has ended. */
  void emit(String type, ObjectNode meta, String state) {
    if (outcome == null && !listenerFailed) {
      deliver(new RunEvent(type, meta, state));
    }
  }

  /** An engine log line ({@code name: RTE}), as the reference engine writes them. */
  void log(String level, String message) {
    ObjectNode meta = meta();
    meta.put("level", level);
    meta.put("name", "RTE");
    meta.putArray("message").add(message);
    emit(RunEvent.LOG, meta, null);
  }

  boolean ended() {
    return outcome != null;
  }

  /**
   * Ends the run as completed; {@code leafFailure} is the error of a failed leaf step (the run's
   * reason is then {@code fail}, as ws-worker reports it), or null.
   */
  RunOutcome complete(String finalState, ObjectNode meta, JsonNode leafFailure, long peakRssMb) {
    if (outcome != null) {
      return outcome;
    }
    long duration = elapsedMs();
    meta.put("duration", duration);
    String reason = leafFailure == null ? "success" : "fail";
    meta.put("reason", reason);
    if (leafFailure != null) {
      meta.put("type", leafFailure.path("type").asText(leafFailure.path("name").asText("Error")));
      meta.put("message", leafFailure.path("message").asText(""));
    }
    outcome = new RunOutcome(reason, finalState, null, duration, peakRssMb);
    deliver(new RunEvent(RunEvent.WORKFLOW_COMPLETE, meta, finalState));
    return outcome;
  }

  RunOutcome fail(RunFailure failure, long peakRssMb) {
    return fail(failure, meta(), peakRssMb);
  }

  /** Ends the run with a failure; {@code meta} may carry more fields (e.g. the run process' own). */
  RunOutcome fail(RunFailure failure, ObjectNode meta, long peakRssMb) {
    if (outcome != null) {
      return outcome;
    }
    meta.put("reason", failure.severity());
    meta.put("type", failure.type());
    meta.put("message", failure.message());
    meta.put("severity", failure.severity());
    meta.put("threadId", "-");
    if (failure.phase() != null) {
      meta.put("phase", failure.phase().label());
    }
    if (failure.detail() != null && !failure.detail().isEmpty()) {
      meta.put("detail", failure.detail());
    }
    outcome = new RunOutcome(failure.severity(), null, failure, elapsedMs(), peakRssMb);
    deliver(new RunEvent(RunEvent.WORKFLOW_ERROR, meta, null));
    return outcome;
  }

  private long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private void deliver(RunEvent event) {
    event.meta().put("workflowId", workflowId);
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      listenerFailed = true;
      LOG.log(Level.WARNING, "run " + workflowId + ": listener failed on " + event.type(), e);
    }
  }
}
