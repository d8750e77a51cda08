package dev.kiln.devserver;

import static dev.kiln.devserver.PhoenixTestClient.response;
import static dev.kiln.devserver.PhoenixTestClient.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.lightning.phoenix.Frame;
import dev.kiln.lightning.token.WorkerToken;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The janitor marks unfinished runs lost after claim + timeout + grace; lost stays lost. */
@Tag("integration")
class LostRunsIntegrationTest {
  static final String SHORT_PLAN = """
      {"jobs": [{"id": "a", "body": "fn(s => s)"}], "options": {"run_timeout_ms": 1}}
      """;

  @TempDir Path dir;

  static PhoenixTestClient worker(DevServer server) throws Exception {
    PhoenixTestClient worker = PhoenixTestClient.connect(server.workerEndpoint() + "/websocket?token="
        + WorkerToken.mint(server.workerSecret(), "w", Instant.now()) + "&vsn=2.0.0");
    worker.join("worker:queue", Json.object());
    return worker;
  }

  /** Claims the next run and joins its channel; returns the claimed run's token. */
  static String claimAndJoin(PhoenixTestClient worker, String runId) throws Exception {
    JsonNode run = response(worker.call("worker:queue", "claim", Json.parse("{\"demand\":1,\"worker_name\":null}")))
        .get("runs").get(0);
    assertThat(run.get("id").asText()).isEqualTo(runId);
    String token = run.get("token").asText();
    assertThat(status(worker.join("run:" + runId, Json.object().put("token", token)))).isEqualTo("ok");
    return token;
  }

  @Test
  void theScheduledJanitorMarksAClaimedRunLostAndALateCompletionDoesNotRevive() throws Exception {
    try (DevServer server = DevServer.start(DevServerConfig.defaults().withDatabase(dir.resolve("a.db"))
        .withGracePeriod(Duration.ZERO).withJanitorInterval(Duration.ofMillis(20)));
         PhoenixTestClient worker = worker(server)) {
      String runId = TestHttp.submit(server, SHORT_PLAN, null);
      CompletableFuture<List<String>> events = follow(server, runId);
      claimAndJoin(worker, runId);
      assertThat(events.get(10, TimeUnit.SECONDS)).last().asString().startsWith("run:lost ");

      Frame late = worker.call("run:" + runId, "run:complete", Json.object().put("reason", "success"));
      assertThat(status(late)).isEqualTo("error");
      assertThat(Json.write(response(late))).contains("already in completed state");
      JsonNode run = TestHttp.run(server, runId);
      assertThat(run.get("state").asText()).isEqualTo("lost");
      assertThat(run.get("error_type").asText()).isEqualTo("LostAfterClaim");
      assertThat(run.get("late_reason").asText()).isEqualTo("success");
    }
  }

  @Test
  void startedRunsAreLostAfterStartWithTheirOpenStepsAndOnlyOverdueRunsAreTouched() throws Exception {
    try (DevServer server = DevServer.start(DevServerConfig.defaults().withDatabase(dir.resolve("b.db"))
        .withGracePeriod(Duration.ZERO).withJanitorInterval(Duration.ofHours(1)));
         PhoenixTestClient worker = worker(server)) {
      String overdue = TestHttp.submit(server, SHORT_PLAN, null);
      claimAndJoin(worker, overdue);
      String topic = "run:" + overdue;
      assertThat(status(worker.call(topic, "run:start", Json.object()))).isEqualTo("ok");
      String step = UUID.randomUUID().toString();
      assertThat(status(worker.call(topic, "step:start", WorkerSocketIntegrationTest.stepStart(step, "a", null))))
          .isEqualTo("ok");
      String patient = TestHttp.submit(server, "{\"jobs\": [{\"id\": \"a\", \"body\": \"x\"}]}", null);
      claimAndJoin(worker, patient);
      String queued = TestHttp.submit(server, SHORT_PLAN, null);

      assertThat(server.sweepLostRuns()).containsExactly(overdue);

      JsonNode run = TestHttp.run(server, overdue);
      assertThat(run.get("state").asText()).isEqualTo("lost");
      assertThat(run.get("error_type").asText()).isEqualTo("LostAfterStart");
      assertThat(run.get("steps").get(0).get("exit_reason").asText()).isEqualTo("lost");
      assertThat(TestHttp.run(server, patient).get("state").asText()).isEqualTo("claimed");
      assertThat(TestHttp.run(server, queued).get("state").asText()).isEqualTo("available");
      Frame stepAfterLost = worker.call(topic, "step:complete", WorkerSocketIntegrationTest.stepComplete(step, "a")
          .put("output_dataclip_id", UUID.randomUUID().toString()));
      assertThat(status(stepAfterLost)).isEqualTo("error");
    }
  }

  @Test
  void aClaimedRunWhoseChannelIsNeverJoinedGoesBackToTheQueue() throws Exception {
    try (DevServer server = DevServer.start(DevServerConfig.defaults().withDatabase(dir.resolve("c.db"))
        .withRunJoinTimeout(Duration.ofMillis(50)).withWorkAvailableDebounce(Duration.ofMillis(1)));
         PhoenixTestClient worker = worker(server)) {
      String runId = TestHttp.submit(server, SHORT_PLAN.replace("1}", "60000}"), null);
      worker.await(f -> f.event().equals("work-available"), "work-available after submit");
      JsonNode claimed = response(worker.call("worker:queue", "claim", Json.parse("{\"demand\":1,\"worker_name\":null}")))
          .get("runs");
      assertThat(claimed.get(0).get("id").asText()).isEqualTo(runId);
      worker.await(f -> f.event().equals("work-available"), "work-available after the rollback");
      assertThat(TestHttp.run(server, runId).get("state").asText()).isEqualTo("available");
      claimAndJoin(worker, runId);
      assertThat(server.sweepLostRuns()).isEmpty();
      assertThat(TestHttp.run(server, runId).get("state").asText()).isEqualTo("claimed");
    }
  }

  /** Reads the run's SSE stream to its end; each element is {@code "<event> <data>"}. */
  static CompletableFuture<List<String>> follow(DevServer server, String runId) throws Exception {
    return follow(server, runId, null);
  }

  /** As {@link #follow(DevServer, String)}, resuming after the event id {@code lastEventId} if not null. */
  static CompletableFuture<List<String>> follow(DevServer server, String runId, String lastEventId) throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/runs/" + runId + "/events"))
        .header("Authorization", "Bearer " + server.apiToken()).header("Accept", "text/event-stream");
    if (lastEventId != null) {
      builder.header("Last-Event-ID", lastEventId);
    }
    HttpRequest request = builder.build();
    HttpResponse<InputStream> response = HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    return CompletableFuture.supplyAsync(() -> {
      List<String> events = new ArrayList<>();
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String event = null;
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.startsWith("event:")) {
            event = line.substring("event:".length()).trim();
          } else if (line.startsWith("data:") && event != null) {
            events.add(event + " " + line.substring("data:".length()).trim());
          }
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      return events;
    });
  }
}
