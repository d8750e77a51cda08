package dev.kiln.engine;

/**
 * Turns a run process that ended without a final frame into the run's failure. The order
 * matters: what the supervisor did itself (a timeout or RSS kill) explains the exit best, then
 * what the process said on stderr, then the exit code.
 */
final class ExitClassifier {
  private ExitClassifier() {}

  /**
   * @param exitCode the process' exit code (128+n for signal n)
   * @param phase the phase the process was in
   * @param killedFor the failure the supervisor killed the process for, or null
   * @param stderr the process' stderr
   */
  static RunFailure classify(int exitCode, RunPhase phase, RunFailure killedFor, StderrTail stderr) {
    String tail = stderr.text();
    if (killedFor != null) {
      // a broken frame stream is explained by what the process said last
      return killedFor.detail() == null && "ExecutionError".equals(killedFor.type()) && !tail.isEmpty()
          ? new RunFailure(killedFor.type(), killedFor.message(), killedFor.severity(), phase, tail)
          : killedFor;
    }
    if (stderr.v8OutOfMemory()) {
      return RunFailure.outOfMemory(phase, "the V8 heap limit was reached (exit code " + exitCode + ")");
    }
    if (stderr.javaOutOfMemory()) {
      return RunFailure.outOfMemory(phase, "the Java heap limit was reached (exit code " + exitCode + ")");
    }
    if (phase == RunPhase.STARTUP) {
      return new RunFailure(
          "ExitError",
          "The run process exited with code " + exitCode + " before it was ready"
              + (tail.isEmpty() ? " (no output on stderr)" : ". Its last stderr lines:\n" + tail),
          "exception",
          phase,
          tail);
    }
    if (exitCode > 128 && exitCode < 160) {
      return RunFailure.signal(exitCode - 128, tail).withPhase(phase);
    }
    return RunFailure.exit(exitCode, tail).withPhase(phase);
  }
}
