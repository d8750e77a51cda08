package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code kiln dev} as a user runs it: start, {@code kiln submit --follow} a workflow, stop with SIGTERM. */
@Tag("integration")
class DevCommandIntegrationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @Test
  void devServerAndWorkerRunASubmittedWorkflowAndStopOnSigterm() throws Exception {
    Path dir = Files.createTempDirectory("kiln-dev");
    try (KilnProcess dev = KilnProcess.kiln(List.of("dev", "--port", "0", "--worker-port", "0",
        "--db", dir.resolve("dev.db").toString(), "--repo-dir", DevPlatform.REPO.toString()))) {
      String server = dev.awaitMatch(Pattern.compile("Kiln dev server.* on (http://\\S+)"), TIMEOUT);
      String token = dev.awaitMatch(Pattern.compile("API token:\\s+(\\S+)"), TIMEOUT);
      dev.awaitLine("kiln submit", TIMEOUT);

      // the README's example: two steps with @openfn/language-common from npm
      CliRun run = CliRun.of("submit", Path.of("..", "examples", "hello", "workflow.json").toString(),
          "--server", server, "--token", token, "--follow");
      assertThat(run.exitCode()).as(run.out() + run.err() + dev.output()).isZero();
      assertThat(run.out()).contains("▸ step count-items started", "Hello from Kiln: 3 items", "▸ step summarize started",
          "■ run success", "3 items: apple, banana, cherry");

      dev.sigterm();
      assertThat(dev.awaitExit(TIMEOUT)).isZero();
    }
  }
}
