package dev.kiln.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The worker's Prometheus metrics, served as text by {@code GET /metrics}. Names follow
 * Prometheus conventions (base units, {@code _total} counters, {@code _seconds} histograms):
 *
 * <ul>
 *   <li>{@code kiln_worker_claims_total{outcome="claimed|empty|failed"}} and
 *       {@code kiln_worker_claim_duration_seconds}: every claim pushed to Lightning and its round trip;
 *   <li>{@code kiln_worker_runs_total{reason}}: finished runs by their {@code run:complete} reason;
 *   <li>{@code kiln_worker_run_duration_seconds} ({@code run:start} → {@code run:complete}),
 *       {@code kiln_worker_step_duration_seconds} ({@code step:start} → {@code step:complete}) and
 *       {@code kiln_worker_claim_to_start_seconds} (claim answered → {@code run:start} queued);
 *   <li>{@code kiln_worker_ready_processes}: run processes started ahead of a run;
 *   <li>{@code kiln_worker_events_in_flight}: run-channel events pushed and not yet answered;
 *   <li>{@code kiln_worker_reconnects_total}: socket connections after the first;
 *   <li>{@code kiln_worker_events_resent_total}: run-channel pushes sent again (a timeout on a live
 *       connection, a push the socket lost, a channel the server errored or closed);
 *   <li>{@code jvm_memory_used_bytes{area,id}} and the other JVM memory gauges of Micrometer's
 *       {@code JvmMemoryMetrics} (the worker process' own heap, read by {@code bench/soak});
 *   <li>{@code kiln_worker_run_process_peak_memory_bytes}: each run process' peak resident memory.
 * </ul>
 */
public final class WorkerMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Timer claimDuration = histogram("kiln.worker.claim.duration", "Round trip of a claim to Lightning");
  private final Timer runDuration = histogram("kiln.worker.run.duration", "run:start to run:complete");
  private final Timer stepDuration = histogram("kiln.worker.step.duration", "step:start to step:complete");
  private final Timer claimToStart = histogram("kiln.worker.claim.to.start", "Claim answered to run:start");
  private final Counter reconnects = Counter.builder("kiln.worker.reconnects")
      .description("Connections to Lightning after the first").register(registry);
  private final Counter resent = Counter.builder("kiln.worker.events.resent")
      .description("Run-channel pushes sent again after a timeout, a lost socket or a closed channel")
      .register(registry);
  private final DistributionSummary peakMemory = DistributionSummary.builder("kiln.worker.run.process.peak.memory")
      .description("Peak resident memory of a run process").baseUnit("bytes").register(registry);
  private final AtomicInteger eventsInFlight = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();

  /** @param readyProcesses the engine's count of run processes waiting for a run */
  public WorkerMetrics(IntSupplier readyProcesses) {
    Gauge.builder("kiln.worker.ready.processes", readyProcesses::getAsInt)
        .description("Run processes started ahead of a run").register(registry);
    Gauge.builder("kiln.worker.events.in.flight", eventsInFlight::get)
        .description("Run-channel events pushed and not yet answered").register(registry);
    for (String outcome : List.of("claimed", "empty", "failed")) {
      claims(outcome);
    }
    new JvmMemoryMetrics().bindTo(registry);
  }

  private Timer histogram(String name, String description) {
    return Timer.builder(name).description(description).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry);
  }

  private Counter claims(String outcome) {
    return Counter.builder("kiln.worker.claims").description("Claims pushed to Lightning")
        .tag("outcome", outcome).register(registry);
  }

  /** The Prometheus text exposition of every metric. */
  String scrape() {
    return registry.scrape();
  }

  /** Times a claim and counts it by its outcome once it settles; returns the same future. */
  <T extends List<?>> CompletableFuture<T> claim(CompletableFuture<T> claim) {
    Timer.Sample sample = Timer.start(registry);
    return claim.whenComplete((runs, failure) -> {
      sample.stop(claimDuration);
      claims(failure != null ? "failed" : runs.isEmpty() ? "empty" : "claimed").increment();
    });
  }

  /** The socket connected; every connection after the first is a reconnect. */
  void connected() {
    if (connections.getAndIncrement() > 0) {
      reconnects.increment();
    }
  }

  /** A run-channel push is sent again. */
  void eventResent() {
    resent.increment();
  }

  /** Counts a run-channel push until Lightning answers it (or it fails). */
  <T> CompletableFuture<T> eventInFlight(CompletableFuture<T> push) {
    eventsInFlight.incrementAndGet();
    return push.whenComplete((reply, failure) -> eventsInFlight.decrementAndGet());
  }

  void runProcessPeakMemory(long megabytes) {
    if (megabytes > 0) {
      peakMemory.record(megabytes * 1024 * 1024);
    }
  }

  /**
   * Observes one run's outgoing events on their way to {@code next}: claim → run:start, each step
   * and the run's duration, and the run's reason.
   *
   * @param claimedAtNanos {@link System#nanoTime()} when the claim was answered
   */
  Consumer<OutgoingEvent> observeRun(long claimedAtNanos, Consumer<OutgoingEvent> next) {
    Map<String, Long> stepStarts = new HashMap<>();
    long[] runStart = {0};
    return event -> {
      long now = System.nanoTime();
      switch (event.event()) {
        case OutgoingEvent.RUN_START -> {
          runStart[0] = now;
          claimToStart.record(Duration.ofNanos(now - claimedAtNanos));
        }
        case OutgoingEvent.STEP_START -> stepStarts.put(event.payload().path("step_id").asText(), now);
        case OutgoingEvent.STEP_COMPLETE -> {
          Long start = stepStarts.remove(event.payload().path("step_id").asText());
          if (start != null) {
            stepDuration.record(Duration.ofNanos(now - start));
          }
        }
        case OutgoingEvent.RUN_COMPLETE -> {
          if (runStart[0] != 0) {
            runDuration.record(Duration.ofNanos(now - runStart[0]));
          }
          Counter.builder("kiln.worker.runs").description("Finished runs by reason")
              .tag("reason", event.payload().path("reason").asText("unknown")).register(registry).increment();
        }
        default -> { }
      }
      next.accept(event);
    };
  }
}
