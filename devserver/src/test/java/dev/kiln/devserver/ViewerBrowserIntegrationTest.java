package dev.kiln.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run viewer page in headless Chromium (Debian package {@code chromium}): after a run with
 * two steps, the page shows the run list, the steps with their output, the logs and the final
 * state.
 */
@Tag("integration")
class ViewerBrowserIntegrationTest {
  @TempDir Path dir;

  @Test
  void theViewerShowsRunsStepsLogsAndOutput() throws Exception {
    Path chromium = chromium();
    try (DevServer server = DevServer.start(DevServerConfig.defaults().withDatabase(dir.resolve("dev.db")));
         PhoenixTestClient worker = LostRunsIntegrationTest.worker(server)) {
      String runId = TestHttp.submit(server, WorkerSocketIntegrationTest.PLAN, "{\"data\":{\"n\":1}}");
      LostRunsIntegrationTest.claimAndJoin(worker, runId);
      String topic = "run:" + runId;
      worker.call(topic, "run:start", Json.object());
      String step = UUID.randomUUID().toString();
      worker.call(topic, "step:start", WorkerSocketIntegrationTest.stepStart(step, "a", null));
      worker.call(topic, "run:log", WorkerSocketIntegrationTest.log(step, "hello from the job"));
      worker.call(topic, "step:complete", WorkerSocketIntegrationTest.stepComplete(step, "a")
          .put("output_dataclip_id", UUID.randomUUID().toString())
          .put("output_dataclip", "{\"data\":{\"answer\":42}}"));
      ObjectNode complete = Json.object().put("reason", "success");
      complete.set("final_state", Json.parse("{\"data\":{\"answer\":42}}"));
      worker.call(topic, "run:complete", complete);

      Process process = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
          "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--user-data-dir=" + dir.resolve("profile"), "--virtual-time-budget=5000",
          "--dump-dom", server.viewerUrl() + "&run=" + runId)
          .redirectError(dir.resolve("chromium.log").toFile()).start();
      String dom = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(dom).as("chromium's DOM; its stderr is in " + dir.resolve("chromium.log"))
          .contains("data-run=\"" + runId + "\"")
          .contains("<b id=\"run-state\" class=\"state-success\">success</b>")
          .contains("Step a")
          .contains("hello from the job")
          .contains("\"answer\": 42");
    }
  }

  /** {@code $KILN_CHROMIUM}, or {@code chromium}/{@code chromium-browser} on the PATH; else a clear failure. */
  static Path chromium() {
    String configured = System.getenv("KILN_CHROMIUM");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .flatMap(folder -> List.of("chromium", "chromium-browser").stream().map(name -> Path.of(folder, name)))
        .filter(Files::isExecutable).findFirst();
    return found.orElseThrow(() -> new AssertionError("The run viewer test needs headless Chromium, which is not"
        + " installed: run 'apt-get update && apt-get install -y chromium' (Debian/Ubuntu; ./kiln test does this"
        + " when it runs as root), or set KILN_CHROMIUM to a Chromium binary."));
  }
}
