package dev.kiln.worker;

import dev.kiln.lightning.protocol.ClaimReply.ClaimedRun;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * One workloop (spec §2.5): claims runs for its queues while it has a free slot, with backoff
 * ({@code min}, ×1.15, capped at {@code max}) after claims that bring nothing. Slots count active
 * runs <em>and</em> claims still waiting for their reply, so {@code work-available} pushes and
 * {@code POST /claim} can never make it over-claim. A full loop stops and is resumed by the next
 * run that finishes; a stopped loop (disconnected, draining) claims nothing.
 *
 * <p>A claim not answered within {@code replyWaitMs} (the claim timeout) no longer holds the loop
 * up: the loop goes on claiming with its other slots, while the late claim keeps its own slot; if
 * its reply still comes, its runs start in that slot (there is always room for them), so runs
 * Lightning gave this worker are not left claimed and unjoined.
 */
final class ClaimLoop {
  private static final Logger LOG = Logger.getLogger(ClaimLoop.class.getName());
  static final double BACKOFF_FACTOR = 1.15;

  private final Workloop workloop;
  private final Function<Workloop, CompletableFuture<List<ClaimedRun>>> claimer;
  private final BiConsumer<ClaimedRun, ClaimLoop> starter;
  private final ScheduledExecutorService timer;
  private final long minBackoffMs;
  private final long maxBackoffMs;
  private final long replyWaitMs;
  private int active;
  private int pending;
  private boolean running;
  private boolean tickInFlight;
  private long delayMs;
  private ScheduledFuture<?> nextTick;

  /**
   * @param claimer sends one {@code claim} for the loop's queues; the future holds the runs (may be empty)
   * @param starter starts a claimed run; it must call {@link #runFinished()} when the run is over
   * @param replyWaitMs how long the loop waits for a claim's reply before it claims again (a later
   *     reply still starts its runs)
   */
  ClaimLoop(Workloop workloop, Function<Workloop, CompletableFuture<List<ClaimedRun>>> claimer,
      BiConsumer<ClaimedRun, ClaimLoop> starter, ScheduledExecutorService timer, long minBackoffMs, long maxBackoffMs,
      long replyWaitMs) {
    this.workloop = workloop;
    this.claimer = claimer;
    this.starter = starter;
    this.timer = timer;
    this.minBackoffMs = minBackoffMs;
    this.maxBackoffMs = Math.max(minBackoffMs, maxBackoffMs);
    this.replyWaitMs = replyWaitMs;
  }

  Workloop workloop() {
    return workloop;
  }

  /** Starts (or resumes) claiming now, with a fresh backoff. */
  synchronized void start() {
    running = true;
    delayMs = minBackoffMs;
    tickNow();
  }

  /** Stops claiming; claims already sent still complete and their runs still start. */
  synchronized void stop() {
    running = false;
    cancelNextTick();
  }

  private void cancelNextTick() {
    if (nextTick != null && nextTick.cancel(false)) {
      tickInFlight = false;
    }
    nextTick = null;
  }

  synchronized boolean hasCapacity() {
    return active + pending < workloop.capacity();
  }

  synchronized int active() {
    return active;
  }

  synchronized int pending() {
    return pending;
  }

  /**
   * One claim outside the loop ({@code work-available}, {@code POST /claim}); resolves to the number
   * of runs claimed, 0 when the loop had no free slot or the claim failed.
   */
  CompletableFuture<Integer> claimOnce() {
    return attempt().thenApply(n -> Math.max(n, 0));
  }

  /**
   * A run of this loop ended (or failed to start): its slot is free, claim again at once (as the
   * reference resumes its workloop), instead of waiting for a tick already scheduled after the
   * last claim; a claim in flight is not doubled.
   */
  synchronized void runFinished() {
    active--;
    if (running) {
      delayMs = minBackoffMs;
      tickNow();
    }
  }

  private void tickNow() {
    cancelNextTick();
    if (!tickInFlight) {
      tickInFlight = true;
      timer.execute(this::tick);
    }
  }

  private void tick() {
    synchronized (this) {
      if (!running) {
        tickInFlight = false;
        return;
      }
    }
    attempt().copy().completeOnTimeout(0, replyWaitMs, TimeUnit.MILLISECONDS)
        .whenComplete((claimed, error) -> afterTick(claimed == null ? 0 : claimed));
  }

  private synchronized void afterTick(int claimed) {
    tickInFlight = false;
    nextTick = null;
    if (!running || claimed < 0) {
      return; // stopped, or full: runFinished() resumes the loop
    }
    long wait;
    if (claimed > 0) {
      delayMs = minBackoffMs;
      wait = minBackoffMs;
    } else {
      wait = delayMs;
      delayMs = Math.min(maxBackoffMs, Math.round(delayMs * BACKOFF_FACTOR));
    }
    tickInFlight = true;
    nextTick = timer.schedule(this::tick, wait, TimeUnit.MILLISECONDS);
  }

  /** One claim if a slot is free: the number of runs claimed, or -1 when the loop is full. */
  private CompletableFuture<Integer> attempt() {
    synchronized (this) {
      if (!hasCapacity()) {
        return CompletableFuture.completedFuture(-1);
      }
      pending++;
    }
    CompletableFuture<List<ClaimedRun>> claim;
    try {
      claim = claimer.apply(workloop);
    } catch (RuntimeException e) {
      claim = CompletableFuture.failedFuture(e);
    }
    return claim.handle((runs, error) -> {
      synchronized (this) {
        pending--;
        if (error != null || runs == null) {
          if (error != null) {
            LOG.fine(() -> "claim for " + workloop.id() + " failed: " + error.getMessage());
          }
          return 0;
        }
        active += runs.size();
      }
      runs.forEach(run -> starter.accept(run, this));
      return runs.size();
    });
  }
}
