package dev.kiln.cli;

import static dev.kiln.cli.LightningPlans.last;
import static dev.kiln.cli.LightningPlans.oneJob;
import static dev.kiln.cli.LightningPlans.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.devserver.DevServer;
import dev.kiln.devserver.DevServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7: a state's size does not scale the worker's heap. A worker JVM with a 48 MB heap (the
 * real {@code worker-jvm.options}, heap cap overridden) runs two runs at once, each with a ~9 MB
 * input dataclip and a ~9 MB output state, under a 10 MB payload limit: both succeed, the worker
 * lives on, and the dev server holds both output states (step output and final state) byte for
 * byte as the jobs made them. Before states were streamed, two such runs needed a 256 MB heap.
 */
@Tag("integration")
@Timeout(300)
class LargeStatesIntegrationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(240);
  /** ~9 MB of text that needs escaping in a JSON string (quotes, newlines) and 2- to 4-byte UTF-8. */
  private static final String UNIT = "é😀 \"quoted\"\nline 0123456789 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ ";
  private static final String BIG = UNIT.repeat(9 * 1024 * 1024 / UNIT.getBytes(StandardCharsets.UTF_8).length);
  private static final String JOB = "export default [s => ({ data: { copy: s.data.big + s.data.tag } })];";

  @TempDir Path dir;

  @Test
  void twoRunsWithNineMegabyteStatesPassThroughA48MegabyteHeap() throws Exception {
    try (DevPlatform platform = platform(List.of("-Xmx48m"))) {
      KilnProcess worker = platform.worker;
      List<String> tags = List.of("!", "?");
      List<String> runIds = new java.util.ArrayList<>();
      for (String tag : tags) {
        ObjectNode submission = oneJob(JOB);
        options(submission).put("payload_limit_mb", 10);
        submission.putObject("input").putObject("data").put("big", BIG).put("tag", tag);
        runIds.add(platform.submit(submission));
      }
      List<CompletableFuture<List<DevPlatform.Event>>> ended = runIds.stream()
          .map(id -> CompletableFuture.supplyAsync(() -> platform.events(id, TIMEOUT))).toList();

      for (int i = 0; i < tags.size(); i++) {
        JsonNode complete = last(ended.get(i).join()).payload();
        assertThat(complete.path("reason").asText()).as(complete.toString().substring(0, 300)).isEqualTo("success");
        // what JSON.stringify made of the job's state, byte for byte
        String expected = "{\"data\":{\"copy\":\"" + (BIG + tags.get(i)).replace("\\", "\\\\").replace("\"", "\\\"")
            .replace("\n", "\\n") + "\"}}";
        JsonNode run = platform.run(runIds.get(i));
        String stepOutput = DevPlatform.JSON.writeValueAsString(run.path("steps").get(0).path("output_dataclip"));
        String finalState = DevPlatform.JSON.writeValueAsString(run.path("final_state"));
        assertThat(sha256(stepOutput)).as("step output of run " + i).isEqualTo(sha256(expected));
        assertThat(sha256(finalState)).as("final state of run " + i).isEqualTo(sha256(expected));
      }
      assertThat(worker.isAlive()).as("the worker is alive:\n" + worker.output()).isTrue();
      assertThat(worker.output()).doesNotContain("OutOfMemoryError");
    }
  }

  /**
   * The largest job code, not a state: a ~9.6 MB mapping object in each of two plans at once, which
   * the worker fetches as JSON and holds until the run frame is written. With the heap cap of
   * {@code worker-jvm.options} the worker must live on (at 64 MB it ran out and ended, and the runs
   * in flight with it).
   */
  @Test
  void twoRunsWithTenMegabyteJobsPassThroughTheWorkersOwnHeap() throws Exception {
    StringBuilder mapping = new StringBuilder("{");
    for (int i = 0; i < 300_000; i++) {
      mapping.append(i == 0 ? "" : ",").append("\"key-").append(i).append("\":\"value-").append(i).append('"');
    }
    String job = "const mapping = " + mapping.append('}') + ";\n"
        + "export default [s => ({ data: { keys: Object.keys(mapping).length } })];";
    try (DevPlatform platform = platform(List.of())) {
      List<String> runIds = List.of(platform.submit(oneJob(job)), platform.submit(oneJob(job)));
      List<CompletableFuture<List<DevPlatform.Event>>> ended = runIds.stream()
          .map(id -> CompletableFuture.supplyAsync(() -> platform.events(id, TIMEOUT))).toList();
      for (CompletableFuture<List<DevPlatform.Event>> events : ended) {
        JsonNode complete = last(events.join()).payload();
        assertThat(complete.path("reason").asText()).as(complete.toString()).isEqualTo("success");
        assertThat(complete.path("final_state").path("data").path("keys").asInt()).isEqualTo(300_000);
      }
      assertThat(platform.worker.isAlive()).as("the worker is alive:\n" + platform.worker.output()).isTrue();
      assertThat(platform.worker.output()).doesNotContain("OutOfMemoryError");
    }
  }

  /** A dev server and a worker at capacity 2 with a 10 MB payload limit, the worker's JVM options plus {@code jvmOptions}. */
  private DevPlatform platform(List<String> jvmOptions) throws Exception {
    DevServer server = DevServer.start(DevServerConfig.defaults().withDatabase(dir.resolve("dev.db"))
        .withWorkAvailableDebounce(Duration.ofMillis(20)));
    try {
      KilnProcess worker = KilnProcess.startWithJvmOptions(jvmOptions, DevPlatform.REPO,
          "--lightning", server.workerEndpoint(), "--secret", server.workerSecret(),
          "--lightning-public-key", server.runPublicKeyBase64(), "--backoff", "0.05/0.5", "--capacity", "2",
          "--payload-memory", "10", "--data-dir", dir.resolve("data").toString());
      DevPlatform platform = DevPlatform.of(server, worker);
      worker.port();
      return platform;
    } catch (Exception e) {
      server.close();
      throw e;
    }
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
