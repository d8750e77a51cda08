package dev.kiln.cli;

import static dev.kiln.cli.LightningPlans.last;
import static dev.kiln.cli.LightningPlans.oneJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.cli.WorkerScenariosIntegrationTest.Mode;
import dev.kiln.lightning.token.RsaPem;
import dev.kiln.lightning.token.RunTokenIssuer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reference's {@code server.test.ts} scenarios (spec §9.2 1–6) and run-token verification
 * (25) against a real {@code kiln worker} process: HTTP endpoints, SIGTERM drain, wrong key.
 */
@Tag("integration")
class WorkerLifecycleIntegrationTest {
  private static final Duration EXIT = Duration.ofSeconds(120);
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> call(int port, String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesHealthWithoutLightningAndExitsZeroOnSigterm() throws Exception {
    int unused;
    try (ServerSocket s = new ServerSocket(0)) {
      unused = s.getLocalPort();
    }
    try (KilnProcess worker = KilnProcess.start(DevPlatform.REPO,
        "--lightning", "ws://127.0.0.1:" + unused + "/worker", "--secret", "s")) {
      int port = worker.port();
      HttpResponse<String> root = call(port, "GET", "/");
      assertThat(root.statusCode()).isEqualTo(200);
      assertThat(root.body()).isEqualTo("OK");
      assertThat(call(port, "GET", "/livez").statusCode()).isEqualTo(200);
      assertThat(call(port, "POST", "/claim").statusCode()).isEqualTo(204);
      worker.sigterm();
      assertThat(worker.awaitExit(EXIT)).isZero();
      assertThatThrownBy(() -> call(port, "GET", "/livez")).isInstanceOf(IOException.class);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void withoutTheLoopWorkAvailableAndPostClaimStillClaim(Mode mode) throws Exception {
    try (DevPlatform platform = DevPlatform.start(Files.createTempDirectory("kiln-noloop"), mode.quirks, "--no-loop")) {
      int port = platform.worker.port();
      platform.worker.awaitLine("joined worker:queue", EXIT);
      String run = platform.submit(oneJob("export default [s => ({ data: { woken: true } })];"));
      assertThat(last(platform.events(run, EXIT)).payload().path("reason").asText()).isEqualTo("success");
      assertThat(call(port, "POST", "/claim").statusCode()).isEqualTo(204); // nothing queued
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void sigtermLetsActiveRunsFinishAndClaimsNothingMore(Mode mode) throws Exception {
    try (DevPlatform platform = DevPlatform.start(Files.createTempDirectory("kiln-drain"), mode.quirks, "--capacity", "2")) {
      String slow = "export default [s => new Promise(resolve => setTimeout(() => resolve({ data: { done: true } }), 2000))];";
      String first = platform.submit(oneJob(slow));
      String second = platform.submit(oneJob(slow));
      platform.worker.awaitLine("claimed run " + first, EXIT);
      platform.worker.awaitLine("claimed run " + second, EXIT);
      platform.worker.sigterm();
      platform.worker.awaitLine("draining", EXIT);
      String third = platform.submit(oneJob("export default [s => s];"));

      assertThat(last(platform.events(first, EXIT)).payload().path("reason").asText()).isEqualTo("success");
      assertThat(last(platform.events(second, EXIT)).payload().path("reason").asText()).isEqualTo("success");
      assertThat(platform.worker.awaitExit(EXIT)).isZero();
      assertThat(platform.worker.output()).doesNotContain("claimed run " + third);
      assertThat(platform.run(third).path("state").asText()).isEqualTo("available");
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRunTokenThatDoesNotVerifyStopsTheWorkerBeforeTheRunStarts(Mode mode) throws Exception {
    String otherKey = Base64.getEncoder().encodeToString(
        RsaPem.pkcs1(RunTokenIssuer.generate().publicKey()).getBytes(StandardCharsets.UTF_8));
    try (DevPlatform platform = DevPlatform.startVerifyingWith(otherKey, Files.createTempDirectory("kiln-badkey"), mode.quirks)) {
      String run = platform.submit(oneJob("export default [s => s];"));
      assertThat(platform.worker.awaitExit(EXIT)).isEqualTo(1);
      assertThat(platform.worker.output()).contains("does not verify");
      assertThat(platform.run(run).path("state").asText()).isIn(List.of("available", "claimed"));
    }
  }
}
