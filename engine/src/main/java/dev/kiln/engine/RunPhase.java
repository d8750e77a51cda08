package dev.kiln.engine;

/** Where a run is, as the supervisor sees it from the run process' frames. */
public enum RunPhase {
  /** The process is starting (JVM, Node runtime); it has not sent {@code ready}. */
  STARTUP("startup"),
  /** The plan is sent and its steps are being compiled (until {@code compile-complete}). */
  COMPILE("compile"),
  /** The compiled steps are executing. */
  EXECUTE("execute");

  private final String label;

  RunPhase(String label) {
    this.label = label;
  }

  /** The name used in events and error details: {@code startup}, {@code compile}, {@code execute}. */
  public String label() {
    return label;
  }
}
