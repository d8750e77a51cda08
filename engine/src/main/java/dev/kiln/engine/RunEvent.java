package dev.kiln.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.protocol.Body;

/**
 * One event of a run, in order. Events from the run process keep their frame type
 * ({@code compile-start}, {@code step-start}, {@code log}, {@code step-complete}, ...); the
 * supervisor adds {@code autoinstall-complete}, {@code autoinstall-error} and engine {@code log}
 * lines, and ends every run with exactly one {@code workflow-complete} or {@code workflow-error}.
 *
 * @param type the event type
 * @param meta the event's fields (never null)
 * @param body a state as JSON text, untouched ({@code step-complete}, {@code step-error},
 *     {@code workflow-complete}), else null: in memory, or a file in the run's spill folder
 *     ({@link RunRequest#spillDir()}) when large
 */
public record RunEvent(String type, ObjectNode meta, Body body) {
  public static final String AUTOINSTALL_COMPLETE = "autoinstall-complete";
  public static final String AUTOINSTALL_ERROR = "autoinstall-error";
  public static final String LOG = "log";
  public static final String COMPILE_START = "compile-start";
  public static final String COMPILE_COMPLETE = "compile-complete";
  public static final String WORKFLOW_START = "workflow-start";
  public static final String STEP_START = "step-start";
  public static final String STEP_COMPLETE = "step-complete";
  public static final String STEP_ERROR = "step-error";
  public static final String WORKFLOW_COMPLETE = "workflow-complete";
  public static final String WORKFLOW_ERROR = "workflow-error";

  /** A text field of {@link #meta}, or null. */
  public String text(String field) {
    return meta.hasNonNull(field) ? meta.get(field).asText() : null;
  }

  /** The state as text (a large one is read from its file whole), or null. */
  public String state() {
    return body == null ? null : body.text();
  }

  /** True for the run's last event. */
  public boolean isFinal() {
    return WORKFLOW_COMPLETE.equals(type) || WORKFLOW_ERROR.equals(type);
  }
}
