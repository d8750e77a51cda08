package dev.kiln.engine;

import dev.kiln.runtime.protocol.FrameReader;
import dev.kiln.runtime.protocol.FrameWriter;
import java.io.IOException;

/**
 * A started run process: its frame streams (kept for the process' whole life: the reader buffers,
 * and a process may serve several runs), the drain of its stderr (started with it, so nothing is
 * lost), its memory limit and how many runs it has been given.
 */
final class LaunchedProcess {
  private final Process process;
  private final StderrTail stderr;
  private final int memoryLimitMb;
  private final FrameReader frames;
  private final FrameWriter input;
  private int runs;
  private boolean startedAhead = true;
  private long idleSinceNanos = System.nanoTime();

  LaunchedProcess(Process process, StderrTail stderr, int memoryLimitMb) {
    this.process = process;
    this.stderr = stderr;
    this.memoryLimitMb = memoryLimitMb;
    this.frames = new FrameReader(process.getInputStream());
    this.input = new FrameWriter(process.getOutputStream());
  }

  Process process() {
    return process;
  }

  StderrTail stderr() {
    return stderr;
  }

  int memoryLimitMb() {
    return memoryLimitMb;
  }

  /** The frames the process writes. */
  FrameReader frames() {
    return frames;
  }

  /** Where the run frame goes. */
  FrameWriter input() {
    return input;
  }

  /** Marks a process started for the run that takes it (not ahead of one); returns it. */
  synchronized LaunchedProcess forRunNow() {
    startedAhead = false;
    return this;
  }

  /**
   * Whether the process was started or prepared ahead of the run that took it (a spare, or a
   * process that served an earlier run): if it ends before it is ready, that run may try another.
   */
  synchronized boolean startedAhead() {
    return startedAhead || runs > 1;
  }

  /** Counts a run given to the process; returns how many it has been given, this one included. */
  synchronized int countRun() {
    return ++runs;
  }

  synchronized long idleSinceNanos() {
    return idleSinceNanos;
  }

  synchronized void markIdle() {
    idleSinceNanos = System.nanoTime();
  }

  /** Closes the process' stdin: a process waiting for a run exits; one still running is unaffected. */
  void closeInput() {
    try {
      input.close();
    } catch (IOException e) {
      // the process is gone already
    }
  }
}
