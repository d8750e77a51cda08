package dev.kiln.engine;

import java.util.concurrent.atomic.AtomicReference;

/** The shared state of one supervised run process: its phase and why the supervisor killed it. */
final class RunTracker {
  private final Process process;
  private final AtomicReference<RunFailure> killedFor = new AtomicReference<>();
  private volatile RunPhase phase = RunPhase.STARTUP;

  RunTracker(Process process) {
    this.process = process;
  }

  long pid() {
    return process.pid();
  }

  RunPhase phase() {
    return phase;
  }

  void phase(RunPhase p) {
    phase = p;
  }

  /** Kills the process for the given reason; the first reason wins. */
  void kill(RunFailure reason) {
    if (killedFor.compareAndSet(null, reason)) {
      process.destroyForcibly();
    }
  }

  RunFailure killedFor() {
    return killedFor.get();
  }
}
