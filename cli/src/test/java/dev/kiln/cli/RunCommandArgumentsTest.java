package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arguments rejected before any process starts: exit code 9, as the openfn CLI. */
class RunCommandArgumentsTest {
  @TempDir Path dir;

  @Test
  void unknownSanitizePolicy() throws IOException {
    Path job = Files.writeString(dir.resolve("job.js"), "fn(s => s)");
    CliRun run = CliRun.of("run", job.toString(), "-a", "common", "--sanitize", "bogus");
    assertThat(run.exitCode()).isEqualTo(9);
    assertThat(run.err()).contains("Unknown sanitize value provided: bogus");
  }

  @Test
  void adaptorWithAWorkflowFile() throws IOException {
    Path wf = Files.writeString(dir.resolve("wf.json"), "{\"steps\":[{\"id\":\"a\",\"expression\":\"fn(s => s)\"}]}");
    CliRun run = CliRun.of("run", wf.toString(), "-a", "common");
    assertThat(run.exitCode()).isEqualTo(9);
    assertThat(run.err()).contains("adaptor and workflow provided");
  }

  @Test
  void stepPatternMatchingNothing() throws IOException {
    Path wf = Files.writeString(dir.resolve("wf.json"), "{\"steps\":[{\"id\":\"a\",\"expression\":\"fn(s => s)\"}]}");
    CliRun run = CliRun.of("run", wf.toString(), "--only", "zzz");
    assertThat(run.exitCode()).isEqualTo(9);
    assertThat(run.err()).contains("--only step not found: zzz");
  }

  @Test
  void badLogLevel() throws IOException {
    Path job = Files.writeString(dir.resolve("job.js"), "fn(s => s)");
    CliRun run = CliRun.of("run", job.toString(), "-a", "common", "--log", "loud");
    assertThat(run.exitCode()).isEqualTo(9);
    assertThat(run.err()).contains("Unknown log level 'loud'");
  }

  @Test
  void missingFile() {
    CliRun run = CliRun.of("run", dir.resolve("nope.js").toString(), "-a", "common");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("File not found");
  }
}
