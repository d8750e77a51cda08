package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics} on the worker's HTTP port, scraped as Prometheus would after claims and a run. */
@Tag("integration")
class WorkerMetricsEndpointTest {
  private final WorkerMetrics metrics = new WorkerMetrics(() -> 1);

  @Test
  void servesClaimsRunsStepsAndProcessesInPrometheusText() throws Exception {
    metrics.claim(CompletableFuture.completedFuture(List.of("run-1")));
    metrics.claim(CompletableFuture.completedFuture(List.of()));
    metrics.claim(CompletableFuture.<List<String>>failedFuture(new IllegalStateException("timeout")))
        .exceptionally(e -> null);
    metrics.connected();
    metrics.connected();
    CompletableFuture<Void> unanswered = new CompletableFuture<>();
    metrics.eventInFlight(unanswered);
    metrics.runProcessPeakMemory(150);
    metrics.eventResent();
    metrics.eventResent();
    List<String> forwarded = new ArrayList<>();
    Consumer<OutgoingEvent> run = metrics.observeRun(System.nanoTime(), e -> forwarded.add(e.event()));
    run.accept(event(OutgoingEvent.RUN_START, payload()));
    run.accept(event(OutgoingEvent.STEP_START, payload().put("step_id", "s1")));
    run.accept(event(OutgoingEvent.STEP_COMPLETE, payload().put("step_id", "s1")));
    run.accept(event(OutgoingEvent.RUN_COMPLETE, payload().put("reason", "success")));

    String text;
    try (HealthAndClaimEndpoints http = new HealthAndClaimEndpoints(0,
        () -> CompletableFuture.completedFuture(0), metrics::scrape)) {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
          type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
      text = response.body();
    }

    assertThat(forwarded).containsExactly("run:start", "step:start", "step:complete", "run:complete");
    assertThat(text)
        .contains("kiln_worker_claims_total{outcome=\"claimed\"} 1.0")
        .contains("kiln_worker_claims_total{outcome=\"empty\"} 1.0")
        .contains("kiln_worker_claims_total{outcome=\"failed\"} 1.0")
        .contains("kiln_worker_claim_duration_seconds_count 3")
        .contains("kiln_worker_runs_total{reason=\"success\"} 1.0")
        .contains("kiln_worker_run_duration_seconds_count 1")
        .contains("kiln_worker_step_duration_seconds_count 1")
        .contains("kiln_worker_claim_to_start_seconds_count 1")
        .contains("kiln_worker_run_duration_seconds_bucket{le=\"+Inf\"} 1")
        .contains("kiln_worker_ready_processes 1.0")
        .contains("kiln_worker_events_in_flight 1.0")
        .contains("kiln_worker_reconnects_total 1.0")
        .contains("kiln_worker_events_resent_total 2.0")
        .containsPattern("jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\"} [0-9.E]+")
        .contains("kiln_worker_run_process_peak_memory_bytes_max 1.572864E8");
    unanswered.complete(null);
    assertThat(metrics.scrape()).contains("kiln_worker_events_in_flight 0.0");
  }

  private static ObjectNode payload() {
    return JsonNodeFactory.instance.objectNode();
  }

  private static OutgoingEvent event(String name, ObjectNode payload) {
    return new OutgoingEvent(name, payload);
  }
}
