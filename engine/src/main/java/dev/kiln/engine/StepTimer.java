package dev.kiln.engine;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The engine's backstop for the runtime's step timeout: a step that blocks its thread (e.g.
 * {@code while (true) {}}) cannot be ended by a timer inside the run process, so the supervisor
 * kills the process shortly after the step's time is up, with the runtime's own error.
 */
final class StepTimer {
  /** Time the runtime gets to end a late step itself before the process is killed. */
  static final long GRACE_MS = 2_000;

  private final long timeoutMs;
  private final ScheduledExecutorService scheduler;
  private final RunTracker tracker;
  private ScheduledFuture<?> pending;

  StepTimer(long timeoutMs, ScheduledExecutorService scheduler, RunTracker tracker) {
    this.timeoutMs = timeoutMs;
    this.scheduler = scheduler;
    this.tracker = tracker;
  }

  void start(String stepId) {
    stop();
    if (timeoutMs > 0) {
      RunFailure failure = new RunFailure("TimeoutError",
          "Job took longer than " + timeoutMs + "ms to complete", "kill", RunPhase.EXECUTE,
          "step " + stepId + " did not return control within " + GRACE_MS
              + " ms after its timeout: the run process was killed");
      pending = scheduler.schedule(() -> tracker.kill(failure), timeoutMs + GRACE_MS, TimeUnit.MILLISECONDS);
    }
  }

  void stop() {
    if (pending != null) {
      pending.cancel(false);
      pending = null;
    }
  }
}
