package dev.kiln.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.SecretScrubber;
import dev.kiln.runtime.protocol.Body;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers one run's events to its listener: stamps the {@code workflowId}, masks the run's
 * secrets, shields the run from a failing listener, and guarantees exactly one final event.
 */
final class RunEmitter {
  private static final Logger LOG = Logger.getLogger(RunEmitter.class.getName());

  private final RunListener listener;
  private final String workflowId;
  private final long startNanos = System.nanoTime();
  private boolean listenerFailed;
  private RunOutcome outcome;
  private SecretScrubber secrets;

  RunEmitter(RunListener listener, String workflowId) {
    this.listener = listener;
    this.workflowId = workflowId;
  }

  /**
   * From now on the run's secrets are masked in every event's meta and in the failure: a second
   * line behind the run process' own scrubbing, for frames job code forged by writing to its
   * stdout and for messages that quote the process' stderr.
   */
  void secrets(SecretScrubber scrubber) {
    this.secrets = scrubber.isEmpty() ? null : scrubber;
  }

  static ObjectNode meta() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** Delivers a non-final event; ignored once the run has ended. */
  void emit(String type, ObjectNode meta, Body state) {
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
  RunOutcome complete(Body finalState, ObjectNode meta, JsonNode leafFailure, long peakRssMb) {
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
    if (secrets != null) {
      failure = new RunFailure(failure.type(), secrets.scrub(failure.message()), failure.severity(), failure.phase(),
          secrets.scrub(failure.detail()));
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

  private RunEvent scrubbed(RunEvent event) {
    String text = event.meta().toString();
    String clean = secrets.scrub(text);
    if (clean.equals(text)) {
      return event;
    }
    try {
      return new RunEvent(event.type(), (ObjectNode) RunSupervisor.parse(clean), event.body());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("masking secrets broke an event's JSON: " + e.getMessage(), e);
    }
  }

  private long elapsedMs() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private void deliver(RunEvent original) {
    RunEvent event = secrets == null ? original : scrubbed(original);
    event.meta().put("workflowId", workflowId);
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      listenerFailed = true;
      LOG.log(Level.WARNING, "run " + workflowId + ": listener failed on " + event.type(), e);
    }
  }
}
