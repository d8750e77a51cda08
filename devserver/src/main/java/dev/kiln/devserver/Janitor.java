package dev.kiln.devserver;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lightning's janitor: every {@code interval} it marks runs lost that are not finished by claim
 * time + run timeout + grace ({@link RunStore#markLost}).
 */
final class Janitor {
  private static final Logger LOG = Logger.getLogger(Janitor.class.getName());

  private final RunStore runs;
  private final Duration grace;
  private final Consumer<String> onLost;

  Janitor(RunStore runs, Duration grace, Consumer<String> onLost) {
    this.runs = runs;
    this.grace = grace;
    this.onLost = onLost;
  }

  void schedule(ScheduledExecutorService scheduler, Duration interval) {
    scheduler.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One pass; returns the ids marked lost. */
  List<String> sweep() {
    try {
      List<String> lost = runs.markLost(grace);
      for (String id : lost) {
        LOG.warning("run " + id + " is lost: not finished by claim time + run timeout + grace");
        onLost.accept(id);
      }
      return lost;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "janitor pass failed", e);
      return List.of();
    }
  }
}
