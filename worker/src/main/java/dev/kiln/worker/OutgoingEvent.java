package dev.kiln.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One run-channel event to send, in order: its name ({@code step:start}, {@code run:log}, ...)
 * and payload. {@code run:log} events may be merged into one {@code run:batch_logs}.
 */
record OutgoingEvent(String event, ObjectNode payload) {
  static final String RUN_START = "run:start";
  static final String RUN_LOG = "run:log";
  static final String RUN_BATCH_LOGS = "run:batch_logs";
  static final String STEP_START = "step:start";
  static final String STEP_COMPLETE = "step:complete";
  static final String RUN_COMPLETE = "run:complete";

  boolean isLog() {
    return RUN_LOG.equals(event);
  }
}
