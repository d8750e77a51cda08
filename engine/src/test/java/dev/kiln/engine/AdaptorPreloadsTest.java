package dev.kiln.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdaptorPreloadsTest {
  @TempDir Path repo;

  @Test
  void installedPinnedAdaptorsOfEveryStepOnceEach() throws Exception {
    Path common = installed("@openfn/language-common_3.3.4");
    Path http = installed("@openfn/language-http_7.2.10");
    ObjectNode plan = RunSupervisor.JSON.createObjectNode();
    var steps = plan.putObject("workflow").putArray("steps");
    steps.addObject().putArray("adaptors").add("@openfn/language-common@3.3.4").add("@openfn/language-http@7.2.10");
    steps.addObject().put("adaptor", "@openfn/language-common@3.3.4");
    steps.addObject().put("adaptor", "@openfn/language-dhis2@4.0.0");      // not installed here
    steps.addObject().put("adaptor", "@openfn/language-local=/some/path"); // a local path, not the repo's
    steps.addObject().put("expression", "fn(s => s)");                      // no adaptor

    assertThat(AdaptorPreloads.of(plan, repo)).containsExactly(common.toAbsolutePath(), http.toAbsolutePath());
  }

  private Path installed(String alias) throws Exception {
    Path folder = Files.createDirectories(repo.resolve("node_modules").resolve(alias));
    Files.writeString(folder.resolve("package.json"), "{}");
    return folder;
  }
}
