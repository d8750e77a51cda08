package dev.kiln.runtime.protocol;

/** The frame types of the parent ⇄ run process protocol; fields are documented in the module README. */
public final class FrameType {
  /** parent → child: the plan, options and credentials (meta), the input state (body). */
  public static final String RUN = "run";
  /** child → parent: the process is up and the Node runtime created; it waits for {@link #RUN}. */
  public static final String READY = "ready";
  public static final String COMPILE_START = "compile-start";
  public static final String COMPILE_COMPLETE = "compile-complete";
  public static final String WORKFLOW_START = "workflow-start";
  public static final String STEP_START = "step-start";
  public static final String STEP_COMPLETE = "step-complete";
  public static final String STEP_ERROR = "step-error";
  public static final String LOG = "log";
  public static final String WORKFLOW_COMPLETE = "workflow-complete";
  public static final String WORKFLOW_ERROR = "workflow-error";
  /** indexing process → engine: the resolution index of one adaptor (body: its JSON). */
  public static final String ADAPTOR_INDEX = "adaptor-index";

  private FrameType() {}
}
