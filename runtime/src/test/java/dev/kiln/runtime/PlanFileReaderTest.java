package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanFileReaderTest {
  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  @Test
  void flatJsonWithFileExpressionsAndConfigurationPaths() throws IOException {
    write("jobs/a.js", "fn(s => s)\n");
    write("creds/a.json", "{\"user\": \"u\"}");
    write("state.json", "{\"data\": {\"x\": 1}}");
    Path plan = write("wf.json", """
        {"id": "p", "start": "a", "options": {"timeout": 10},
         "steps": [{"id": "a", "adaptor": "common@3.3.4", "expression": "jobs/a.js", "configuration": "creds/a.json",
                    "state": "state.json", "next": {"b": true}},
                   {"id": "b", "adaptors": ["@openfn/language-http@7.3.2"], "expression": "fn(s => s)\\n// inline",
                    "configuration": "cred-id"}]}
        """);
    ObjectNode read = PlanFileReader.read(plan);
    assertThat(read.path("id").asText()).isEqualTo("p");
    assertThat(read.path("options")).isEqualTo(RunFrames.lenient("{timeout: 10, start: 'a'}"));
    assertThat(read.path("workflow").path("name").asText()).isEqualTo("wf");
    assertThat(read.path("workflow").has("options")).isFalse();
    assertThat(read.path("workflow").path("steps").get(0)).isEqualTo(RunFrames.lenient("""
        {id: 'a', expression: 'fn(s => s)\\n', configuration: {user: 'u'}, state: {data: {x: 1}}, next: {b: true},
         adaptors: ['@openfn/language-common@3.3.4']}"""));
    assertThat(read.path("workflow").path("steps").get(1).path("configuration").asText()).isEqualTo("cred-id");
    assertThat(read.path("workflow").path("steps").get(1).path("expression").asText()).isEqualTo("fn(s => s)\n// inline");
    // the result is a plan the runtime accepts
    assertThat(ExecutionPlanTest.plan(read.toString()).start()).isEqualTo("a");
  }

  @Test
  void wrappedYamlAndLegacyJobs() throws IOException {
    Path yaml = write("wf.yaml", """
        workflow:
          name: yaml-wf
          steps:
            - id: a
              expression: "fn(s => s)"
        options:
          end: a
        """);
    ObjectNode read = PlanFileReader.read(yaml);
    assertThat(read.path("workflow").path("name").asText()).isEqualTo("yaml-wf");
    assertThat(read.path("options").path("end").asText()).isEqualTo("a");
    ObjectNode legacy = PlanFileReader.read(write("legacy.json", "{\"jobs\": [{\"id\": \"j\", \"expression\": \"x\"}], \"start\": \"j\"}"));
    assertThat(legacy.path("workflow").path("steps").get(0).path("id").asText()).isEqualTo("j");
    assertThat(legacy.path("options").path("start").asText()).isEqualTo("j");
  }

  @Test
  void errorsNameTheFileAndTheProblem() throws IOException {
    assertThatThrownBy(() -> PlanFileReader.read(write("bad.json", "{\"steps\": [}")))
        .isInstanceOf(PlanFileException.class).hasMessageContaining("bad.json: not valid JSON").hasMessageContaining("line 1");
    assertThatThrownBy(() -> PlanFileReader.read(write("missing.json", "{\"steps\": [{\"id\": \"a\", \"expression\": \"nope.js\"}]}")))
        .isInstanceOf(PlanFileException.class).hasMessageContaining("step a: expression file not found");
    assertThatThrownBy(() -> PlanFileReader.read(write("wf.txt", "{}")))
        .isInstanceOf(PlanFileException.class).hasMessageContaining("must end in .json, .yaml or .yml");
    assertThatThrownBy(() -> PlanFileReader.read(write("nosteps.json", "{\"name\": \"x\"}")))
        .isInstanceOf(PlanFileException.class).hasMessageContaining("no \"steps\" array");
  }

  @Test
  void aJobFileBecomesAOneStepPlan() throws IOException {
    ObjectNode plan = PlanFileReader.forJob(write("job.js", "fn(s => s)"), List.of("common", "@openfn/language-http@7.3.2"));
    assertThat(plan.path("workflow")).isEqualTo(RunFrames.lenient(
        "{name: 'job', steps: [{expression: 'fn(s => s)', adaptors: ['@openfn/language-common', '@openfn/language-http@7.3.2']}]}"));
  }
}
