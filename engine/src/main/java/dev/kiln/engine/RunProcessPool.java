package dev.kiln.engine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The run processes of a worker that are waiting for a run. Two kinds join it: a spare, started
 * ahead of the next run when no waiting process is left for its memory limit (it imports the last
 * run's adaptors before its {@code ready}), and a process whose run completed and which was asked
 * to serve another one (it closes that run's Node runtime, empties its run folder and imports the
 * run's adaptors into a fresh runtime before it writes {@code ready} again). A process serves one
 * run at a time and at most {@value #MAX_RUNS_PER_PROCESS} runs in all; with a bound, no spare is
 * started while that many processes are alive (a run then waits for one that is preparing). With pooling off (a
 * one-shot command such as {@code kiln run}) every run starts its own process, which ends with it.
 */
final class RunProcessPool implements AutoCloseable {
  /**
   * Runs one process serves before it is replaced: bounds whatever a long series of runs could
   * accumulate outside V8's heap (the Java heap's high-water mark, native fragmentation).
   */
  static final int MAX_RUNS_PER_PROCESS = 100;
  /** A waiting process beyond the first is stopped after this long without a run. */
  static final long IDLE_TIMEOUT_MS = 30_000;

  private final RunProcessLauncher launcher;
  private final boolean enabled;
  private final int maxProcesses;
  private final Deque<LaunchedProcess> waiting = new ArrayDeque<>();
  /** Every process the pool started that may still be alive: waiting, preparing or running. */
  private final Set<LaunchedProcess> started = new HashSet<>();
  private boolean closed;

  /** @param maxProcesses no spare is started while this many processes are alive (0: no bound) */
  RunProcessPool(RunProcessLauncher launcher, boolean enabled, int maxProcesses) {
    this.launcher = launcher;
    this.enabled = enabled;
    this.maxProcesses = maxProcesses;
  }

  /**
   * A process for a run: the longest-waiting live one with this memory limit, else a new one (which
   * preloads nothing: its run frame follows at once). Waiting processes of another limit are
   * stopped. When no waiting process of this limit is left, a spare that preloads
   * {@code preloads} (this run's adaptor folders, the likeliest next ones) is started.
   */
  synchronized LaunchedProcess take(int memoryLimitMb, List<Path> preloads) throws IOException {
    LaunchedProcess taken = null;
    for (Iterator<LaunchedProcess> it = waiting.iterator(); it.hasNext(); ) {
      LaunchedProcess candidate = it.next();
      if (candidate.memoryLimitMb() != memoryLimitMb || !candidate.process().isAlive()) {
        it.remove();
        stop(candidate);
      } else if (taken == null) {
        it.remove();
        taken = candidate;
      }
    }
    if (taken == null) {
      taken = startFresh(memoryLimitMb);
    }
    if (enabled && !closed && waiting.isEmpty() && (maxProcesses == 0 || alive() < maxProcesses)) {
      try {
        waiting.add(track(launcher.start(memoryLimitMb, preloads)));
      } catch (IOException e) {
        // the next run starts its own process and reports what fails
      }
    }
    stopIdle();
    return taken;
  }

  /** A new process for a run that needs one now: it preloads nothing, its run frame follows at once. */
  LaunchedProcess startFresh(int memoryLimitMb) throws IOException {
    LaunchedProcess process = launcher.start(memoryLimitMb, List.of()).forRunNow();
    synchronized (this) {
      return track(process);
    }
  }

  private LaunchedProcess track(LaunchedProcess process) {
    started.removeIf(p -> !p.process().isAlive());
    started.add(process);
    return process;
  }

  private int alive() {
    started.removeIf(p -> !p.process().isAlive());
    return started.size();
  }

  /** Whether the process should serve another run after the one it is given now (counts the run). */
  boolean recycles(LaunchedProcess process) {
    return enabled && process.countRun() < MAX_RUNS_PER_PROCESS;
  }

  /** A process whose run completed and which now prepares for its next run. */
  synchronized void giveBack(LaunchedProcess process) {
    if (closed || !process.process().isAlive()) {
      stop(process);
      return;
    }
    process.markIdle();
    waiting.add(process);
    stopIdle();
  }

  /** Processes waiting for a run (started or preparing). */
  synchronized int waitingCount() {
    return (int) waiting.stream().filter(p -> p.process().isAlive()).count();
  }

  /** Keeps one waiting process however long it waits; stops the others after the idle timeout. */
  synchronized void stopIdle() {
    long now = System.nanoTime();
    for (Iterator<LaunchedProcess> it = waiting.iterator(); it.hasNext() && waiting.size() > 1; ) {
      LaunchedProcess process = it.next();
      if (now - process.idleSinceNanos() > TimeUnit.MILLISECONDS.toNanos(IDLE_TIMEOUT_MS)) {
        it.remove();
        stop(process);
      }
    }
  }

  private static void stop(LaunchedProcess process) {
    process.closeInput();
    process.process().destroyForcibly();
  }

  /** Stops every process the pool started: waiting ones, and running ones (their runs end as crashed). */
  @Override
  public synchronized void close() {
    closed = true;
    started.forEach(RunProcessPool::stop);
    started.clear();
    waiting.clear();
  }
}
