package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln run examples/hello/workflow.json}: install from npm, run in a run process, print. */
@Tag("integration")
@Timeout(180)
class RunCommandIntegrationTest {
  private static final String HELLO = Path.of("..", "examples", "hello", "workflow.json").toString();
  private static final String REPO = DevPlatform.REPO.toString();

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
  void cachedStepOutputFeedsARunOfOnlyTheNextStep(@TempDir Path dir) throws Exception {
    for (String file : new String[] {"workflow.json", "count-items.js", "summarize.js"}) {
      Files.copy(Path.of(HELLO).resolveSibling(file), dir.resolve(file));
    }
    String workflow = dir.resolve("workflow.json").toString();
    CliRun first = CliRun.of("run", workflow, "--repo-dir", REPO, "--cache-steps", "-o",
        dir.resolve("out.json").toString());
    assertThat(first.exitCode()).as(first.err()).isEqualTo(0);
    assertThat(first.out()).isEmpty();
    assertThat(dir.resolve(".cli-cache/hello/count-items.json")).exists();
    assertThat(Files.readString(dir.resolve("out.json"))).contains("3 items: apple, banana, cherry");

    CliRun second = CliRun.of("run", workflow, "--repo-dir", REPO, "--only", "summ");
    assertThat(second.exitCode()).as(second.err()).isEqualTo(0);
    assertThat(second.err()).contains("Using the cached output of step count-items")
        .doesNotContain("Count items");
    assertThat(second.out()).contains("3 items: apple, banana, cherry");
  }

  @Test
  void credentialIdsComeFromTheCredentialsMap(@TempDir Path dir) throws Exception {
    Path workflow = Files.writeString(dir.resolve("wf.json"), "{\"steps\":[{\"id\":\"a\","
        + "\"configuration\":\"cred-a\",\"expression\":\"export default [s => ({ data: { user: s.configuration.user } })];\"}]}");
    Path map = Files.writeString(dir.resolve("creds.json"), "{\"cred-a\":{\"user\":\"ada\"}}");

    CliRun run = CliRun.of("run", workflow.toString(), "--repo-dir", REPO, "--credentials", map.toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(0);
    assertThat(new ObjectMapper().readTree(run.out()).at("/data/user").asText()).isEqualTo("ada");

    CliRun without = CliRun.of("run", workflow.toString(), "--repo-dir", REPO);
    assertThat(without.exitCode()).isEqualTo(1);
    assertThat(without.err()).contains("CredentialLoadError: Failed to load credential cred-a: "
        + "no credentials map given");
  }

  @Test
  void aCrashExitsWithOne() throws Exception {
    Path job = Files.createTempFile("kiln-crash", ".js");
    Files.writeString(job, "fn(s => s);\nfn(s => {\n  return s +;\n});\n");
    CliRun run = CliRun.of("run", job.toString(), "-a", "common@3.3.4", "--repo-dir", REPO);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).contains("CompileError").contains("Workflow failed in");
    Files.delete(job);
  }
}
