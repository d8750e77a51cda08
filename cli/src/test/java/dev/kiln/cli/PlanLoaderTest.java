package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanLoaderTest {
  @TempDir Path dir;

  @Test
  void flatYamlWithPathsAndShorthand() throws IOException {
    Files.writeString(dir.resolve("a.js"), "fn(s => s)\n");
    Files.writeString(dir.resolve("conf.json"), "{\"user\":\"u\"}");
    Path file = Files.writeString(dir.resolve("flow.yaml"),
        "start: a\nsteps:\n  - id: a\n    adaptor: common@3.3.4\n    expression: a.js\n"
            + "    configuration: conf.json\n    next: b\n  - id: b\n    expression: |\n      fn(s => s)\n      fn(s => s)\n");
    ObjectNode plan = PlanLoader.fromPlanFile(file);

    assertThat(plan.path("id").asText()).isEqualTo("flow");
    assertThat(plan.at("/workflow/name").asText()).isEqualTo("flow");
    assertThat(plan.at("/options/start").asText()).isEqualTo("a");
    assertThat(plan.at("/workflow/steps/0/expression").asText()).isEqualTo("fn(s => s)\n");
    assertThat(plan.at("/workflow/steps/0/adaptors/0").asText()).isEqualTo("@openfn/language-common@3.3.4");
    assertThat(plan.at("/workflow/steps/0/configuration/user").asText()).isEqualTo("u");
    assertThat(plan.at("/workflow/steps/1/expression").asText()).contains("\n");
  }

  @Test
  void missingExpressionFileNamesTheStep() throws IOException {
    Path file = Files.writeString(dir.resolve("wf.json"), "{\"steps\":[{\"id\":\"s1\",\"expression\":\"gone.js\"}]}");
    assertThatThrownBy(() -> PlanLoader.fromPlanFile(file))
        .hasMessageContaining("Step s1: expression file not found");
  }

  @Test
  void expressionBecomesAOneStepPlan() throws IOException {
    Path job = Files.writeString(dir.resolve("job.js"), "fn(s => s)");
    ObjectNode plan = PlanLoader.fromExpression(job, List.of("@openfn/language-common"));
    assertThat(plan.at("/workflow/steps/0/id").asText()).isEqualTo("job-1");
    assertThat(plan.at("/workflow/steps/0/adaptors/0").asText()).isEqualTo("@openfn/language-common");
  }

  @Test
  void adaptorShorthand() {
    assertThat(AdaptorNames.expand("common")).isEqualTo("@openfn/language-common");
    assertThat(AdaptorNames.expand("http@6.5.0")).isEqualTo("@openfn/language-http@6.5.0");
    assertThat(AdaptorNames.expand("@openfn/language-http")).isEqualTo("@openfn/language-http");
  }
}
