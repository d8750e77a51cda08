package dev.kiln.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.protocol.Body;
import dev.kiln.runtime.protocol.Frame;
import dev.kiln.runtime.protocol.FrameType;
import java.io.IOException;
import java.util.Map;

/**
 * Turns the frames of one run process into events: tracks the phase, measures each step's peak
 * RSS, applies the state and payload limits to the states the process sends, and ends the run
 * on a final frame. A final state with the same bytes as the last step's output is that step's
 * body (its own spilled copy is deleted): one file, not two, for the usual case.
 */
final class FrameStream {
  private static final long MB = 1024 * 1024;
  static final String REDACTED = "{\"data\":\"[REDACTED]\"}";
  private static final Body REDACTED_BODY = Body.ofText(REDACTED);

  private final Map<String, String> stepNames;
  private final RunLimits limits;
  private final RunTracker tracker;
  private final RssWatch rss;
  private final StepTimer stepTimer;
  private final RunEmitter emitter;
  private RunOutcome outcome;
  private boolean completed;
  private JsonNode leafFailure;
  private Body lastStepState;

  FrameStream(
      Map<String, String> stepNames,
      RunLimits limits,
      RunTracker tracker,
      RssWatch rss,
      StepTimer stepTimer,
      RunEmitter emitter) {
    this.stepTimer = stepTimer;
    this.stepNames = stepNames;
    this.limits = limits;
    this.tracker = tracker;
    this.rss = rss;
    this.emitter = emitter;
  }

  RunOutcome outcome() {
    return outcome;
  }

  /** Whether the run ended with the process' {@code workflow-complete} (its steps may have failed). */
  boolean completed() {
    return completed;
  }

  void accept(Frame frame) throws IOException {
    ObjectNode meta = parseMeta(frame);
    String type = frame.type();
    switch (type) {
      case FrameType.WORKFLOW_START -> meta.put("processId", tracker.pid());
      case FrameType.COMPILE_START -> tracker.phase(RunPhase.COMPILE);
      case FrameType.COMPILE_COMPLETE -> tracker.phase(RunPhase.EXECUTE);
      case FrameType.STEP_START -> {
        rss.startStep();
        stepTimer.start(meta.path("stepId").asText("?"));
      }
      case FrameType.STEP_COMPLETE, FrameType.STEP_ERROR, FrameType.WORKFLOW_ERROR,
          FrameType.WORKFLOW_COMPLETE -> stepTimer.stop();
      default -> { }
    }
    switch (type) {
      case FrameType.STEP_COMPLETE, FrameType.STEP_ERROR -> stepEnded(type, meta, frame);
      case FrameType.WORKFLOW_COMPLETE -> workflowCompleted(meta, frame);
      case FrameType.WORKFLOW_ERROR -> workflowFailed(meta);
      default -> emitter.emit(type, meta, frame.bodyLength() == 0 ? null : frame.content());
    }
  }

  private void stepEnded(String type, ObjectNode meta, Frame frame) {
    if (FrameType.STEP_ERROR.equals(type) && meta.path("next").isEmpty()) {
      leafFailure = meta.path("error");
    }
    meta.put("peakRssMb", rss.stepPeakMb());
    if (stateTooLarge(meta, frame)) {
      return;
    }
    lastStepState = payloadWithinLimit(meta, frame);
    emitter.emit(type, meta, lastStepState);
  }

  private void workflowCompleted(ObjectNode meta, Frame frame) throws IOException {
    if (stateTooLarge(meta, frame)) {
      return;
    }
    outcome = emitter.complete(sharedWithLastStep(payloadWithinLimit(meta, frame)), meta, leafFailure, rss.peakMb());
    completed = true;
  }

  private void workflowFailed(ObjectNode meta) {
    String errorType = meta.path("type").asText(meta.path("name").asText("ERROR"));
    String severity = meta.path("severity").asText("exception");
    RunPhase phase = tracker.phase();
    if (meta.hasNonNull("phase")) {
      for (RunPhase p : RunPhase.values()) {
        if (p.label().equals(meta.get("phase").asText())) {
          phase = p;
        }
      }
    }
    RunFailure failure = new RunFailure(
        errorType, meta.path("message").asText(""), severity, phase, null);
    outcome = emitter.fail(failure, meta, rss.peakMb());
  }

  /** The engine's own check of the runtime's state limit (spec §4.1), on the bytes it receives. */
  private boolean stateTooLarge(ObjectNode meta, Frame frame) {
    if (limits.stateLimitMb() > 0 && frame.bodyLength() > limits.stateLimitMb() * MB) {
      RunFailure failure = new RunFailure(
          "StateTooLargeError",
          "State exceeds the limit of " + RunSupervisor.jsNumber(limits.stateLimitMb()) + "mb",
          "kill", tracker.phase(), frame.bodyLength() / MB + " MB state "
              + (meta.has("stepId") ? "returned by step " + stepLabel(meta) : "at the end of the workflow"));
      tracker.kill(failure);
      outcome = emitter.fail(failure, rss.peakMb());
      return true;
    }
    return false;
  }

  /**
   * The state an event carries: replaced by {@code {"data":"[REDACTED]"}} past the payload limit or
   * the kept-state limit ({@link RunLimits#maxKeptBodyBytes()}; such a body was not even read
   * into memory when the reader had that limit).
   */
  private Body payloadWithinLimit(ObjectNode meta, Frame frame) {
    if (frame.bodyLength() == 0) {
      return null;
    }
    if (frame.bodyLength() > limits.maxKeptBodyBytes() || frame.bodyDropped()) {
      deleteSpilled(frame.content());
      meta.put("redacted", true);
      return REDACTED_BODY;
    }
    return frame.content();
  }

  /** The last step's body when the final state is the same bytes (its own file is deleted), else {@code state}. */
  private Body sharedWithLastStep(Body state) throws IOException {
    if (state == null || state.file() == null || lastStepState == null || !state.sameBytes(lastStepState)) {
      return state;
    }
    deleteSpilled(state);
    return lastStepState;
  }

  private static void deleteSpilled(Body body) {
    if (body.file() != null) {
      try {
        java.nio.file.Files.deleteIfExists(body.file());
      } catch (IOException e) {
        // the run's spill folder is deleted with the run
      }
    }
  }

  private String stepLabel(JsonNode meta) {
    String id = meta.path("stepId").asText("?");
    return stepNames.getOrDefault(id, id);
  }

  private static ObjectNode parseMeta(Frame frame) throws IOException {
    JsonNode node = RunSupervisor.parse(frame.metaJson());
    if (!(node instanceof ObjectNode meta)) {
      throw new IOException("the meta of a '" + frame.type() + "' frame is not a JSON object");
    }
    return meta;
  }
}
