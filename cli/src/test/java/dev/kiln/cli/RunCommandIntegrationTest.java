package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code kiln run examples/hello/workflow.json}: install from npm, run in a run process, print. */
@Tag("integration")
@Timeout(180)
class RunCommandIntegrationTest {
  private static final String HELLO = Path.of("..", "examples", "hello", "workflow.json").toString();
  private static final String REPO =
      Path.of(System.getProperty("user.home"), ".cache", "kiln", "test-repo").toString();

  @Test
  void helloWorkflowRunsBothSteps() throws Exception {
    CliRun run = CliRun.of("run", HELLO, "--repo-dir", REPO);

    assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
    JsonNode state = new ObjectMapper().readTree(run.out());
    assertThat(state.at("/data/count").asInt()).isEqualTo(3);
    assertThat(state.at("/data/summary").asText()).isEqualTo("3 items: apple, banana, cherry");
    assertThat(state.has("configuration")).isFalse();
    assertThat(run.err())
        .contains("Hello from Kiln: 3 items")
        .containsPattern("✔ Count items +success .* peak +\\d+ MB")
        .containsPattern("✔ Summarize +success")
        .contains("Finished in");
  }

  @Test
  void theConditionalEdgeSkipsTheSecondStep() throws Exception {
    CliRun run = CliRun.of("run", HELLO, "--repo-dir", REPO, "-S", "{\"data\":{\"items\":[\"one\"]}}");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
    assertThat(new ObjectMapper().readTree(run.out()).at("/data/count").asInt()).isEqualTo(1);
    assertThat(run.err()).contains("Count items").doesNotContain("Summarize");
  }

  @Test
  void aCrashExitsWithOne() throws Exception {
    Path job = java.nio.file.Files.createTempFile("kiln-crash", ".js");
    java.nio.file.Files.writeString(job, "fn(s => s);\nfn(s => {\n  return s +;\n});\n");
    CliRun run = CliRun.of("run", job.toString(), "-a", "common@3.3.4", "--repo-dir", REPO);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("CompileError").contains("Workflow failed in");
    java.nio.file.Files.delete(job);
  }
}
