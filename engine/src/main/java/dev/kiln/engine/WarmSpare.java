package dev.kiln.engine;

import java.io.IOException;

/**
 * Keeps one run process starting ahead of the next run, so that run finds the JVM and Node up
 * (a run process needs ~0.5–0.8 s to be ready). The spare is for the memory limit of the last
 * run; a run with another limit gets a fresh process and the spare is replaced. Off (each run
 * starts its own process) for one-shot use such as {@code kiln run}, where a spare would be a
 * wasted process.
 */
final class WarmSpare implements AutoCloseable {
  private final RunProcessLauncher launcher;
  private final boolean enabled;
  private LaunchedProcess spare;
  private boolean closed;

  WarmSpare(RunProcessLauncher launcher, boolean enabled) {
    this.launcher = launcher;
    this.enabled = enabled;
  }

  /** A process for this run: the spare when it fits and is alive, else a new one. */
  synchronized LaunchedProcess take(int memoryLimitMb) throws IOException {
    LaunchedProcess taken = null;
    if (spare != null) {
      if (spare.memoryLimitMb() == memoryLimitMb && spare.process().isAlive()) {
        taken = spare;
      } else {
        spare.process().destroyForcibly();
      }
      spare = null;
    }
    if (taken == null) {
      taken = launcher.start(memoryLimitMb);
    }
    if (enabled && !closed) {
      try {
        spare = launcher.start(memoryLimitMb);
      } catch (IOException e) {
        spare = null; // the next run starts its own process and reports what fails
      }
    }
    return taken;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (spare != null) {
      spare.process().destroyForcibly();
      spare = null;
    }
  }
}
