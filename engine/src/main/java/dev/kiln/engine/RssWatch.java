package dev.kiln.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Polls a process' resident set size ({@code VmRSS} in {@code /proc/<pid>/status}) and reports
 * the first time it exceeds a budget. Tracks the peak of the whole run and of the current step.
 */
final class RssWatch implements AutoCloseable {
  static final long POLL_INTERVAL_MS = 50;

  private final Path status;
  private final long budgetKb;
  private final LongConsumer onBreach;
  private final ScheduledFuture<?> task;
  private volatile long peakKb;
  private volatile long stepPeakKb;
  /** The latest RSS read, kept for steps that start or end after the process is gone. */
  private volatile long lastKb;
  private boolean breached;

  /** Starts polling; {@code onBreach} gets the RSS in kB, once, on the scheduler's thread. */
  RssWatch(long pid, long budgetMb, ScheduledExecutorService scheduler, LongConsumer onBreach) {
    this.status = Path.of("/proc", Long.toString(pid), "status");
    this.budgetKb = budgetMb * 1024;
    this.onBreach = onBreach;
    this.task = scheduler.scheduleWithFixedDelay(this::poll, 0, POLL_INTERVAL_MS, TimeUnit.MILLISECONDS);
  }

  /** The VmRSS of a process in kB, or -1 when it is gone or unreadable. */
  static long readRssKb(Path statusFile) {
    try {
      List<String> lines = Files.readAllLines(statusFile);
      for (String line : lines) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // the process exited between two polls
    }
    return -1;
  }

  private synchronized void poll() {
    long kb = readRssKb(status);
    if (kb < 0) {
      return;
    }
    lastKb = kb;
    if (kb > peakKb) {
      peakKb = kb;
    }
    if (kb > stepPeakKb) {
      stepPeakKb = kb;
    }
    if (kb > budgetKb && !breached) {
      breached = true;
      onBreach.accept(kb);
    }
  }

  /** Starts a new step's peak from the current RSS. */
  void startStep() {
    long kb = readRssKb(status);
    stepPeakKb = kb >= 0 ? kb : lastKb;
  }

  /** The highest RSS since {@link #startStep()}, including a sample taken now. */
  long stepPeakMb() {
    poll();
    return stepPeakKb / 1024;
  }

  long peakMb() {
    return peakKb / 1024;
  }

  @Override
  public void close() {
    task.cancel(false);
  }
}
