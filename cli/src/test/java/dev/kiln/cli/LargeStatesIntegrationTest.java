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
    DevServer server = DevServer.start(DevServerConfig.defaults().withDatabase(dir.resolve("dev.db"))
        .withWorkAvailableDebounce(Duration.ofMillis(20)));
    KilnProcess worker;
    try {
      worker = KilnProcess.startWithJvmOptions(List.of("-Xmx48m"), DevPlatform.REPO,
          "--lightning", server.workerEndpoint(), "--secret", server.workerSecret(),
          "--lightning-public-key", server.runPublicKeyBase64(), "--backoff", "0.05/0.5", "--capacity", "2",
          "--payload-memory", "10", "--data-dir", dir.resolve("data").toString());
    } catch (java.io.IOException e) {
      server.close();
      throw e;
    }
    try (DevPlatform platform = DevPlatform.of(server, worker)) {
      worker.port();
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

  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
