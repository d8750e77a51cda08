package dev.kiln.lightning.protocol;

/** Topic and event names of the worker ⇄ Lightning protocol (spec §2–§3). */
public final class Events {
  public static final String WORKER_QUEUE = "worker:queue";
  public static final String CLAIM = "claim";
  public static final String WORK_AVAILABLE = "work-available";

  public static final String FETCH_PLAN = "fetch:plan";
  public static final String FETCH_DATACLIP = "fetch:dataclip";
  public static final String FETCH_CREDENTIAL = "fetch:credential";
  public static final String RUN_START = "run:start";
  public static final String STEP_START = "step:start";
  public static final String RUN_LOG = "run:log";
  public static final String RUN_BATCH_LOGS = "run:batch_logs";
  public static final String STEP_COMPLETE = "step:complete";
  public static final String RUN_COMPLETE = "run:complete";

  private Events() {}

  /** {@code run:<id>}. */
  public static String runTopic(String runId) {
    return "run:" + runId;
  }

  /** The run id of a {@code run:<id>} topic, or null for any other topic. */
  public static String runIdOf(String topic) {
    return topic != null && topic.startsWith("run:") ? topic.substring(4) : null;
  }
}
