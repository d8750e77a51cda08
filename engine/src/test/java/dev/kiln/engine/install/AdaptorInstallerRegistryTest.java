package dev.kiln.engine.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.caoccao.javet.interop.NodeRuntime;
import com.caoccao.javet.interop.V8Host;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installs real adaptors from the npm registry and loads them in embedded Node. */
@Tag("integration")
class AdaptorInstallerRegistryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path repo;

  @Test
  void installsLanguageCommonWhereNodeRequiresIt() throws Exception {
    AdaptorInstaller installer = new AdaptorInstaller(repo, RegistryConfig.fromEnvironment());

    InstalledPackage common = installer.install("@openfn/language-common@3.3.4");

    assertThat(common.root()).isEqualTo(repo.resolve("node_modules/@openfn/language-common_3.3.4"));
    JsonNode pkg = JSON.readTree(repo.resolve("package.json").toFile());
    assertThat(pkg.path("name").asText()).isEqualTo("openfn-repo");
    assertThat(pkg.path("dependencies").path("@openfn/language-common_3.3.4").asText())
        .isEqualTo("npm:@openfn/language-common@3.3.4");
    assertThat(JSON.readTree(common.root().resolve("package.json").toFile()).path("version").asText())
        .isEqualTo("3.3.4");
    assertThat(repo.resolve("node_modules/lodash/package.json")).exists(); // hoisted dependency
    assertThat(installer.isInstalled("@openfn/language-common", "3.3.4")).isTrue();
    assertThat(installer.latestInstalledVersion("@openfn/language-common")).contains("3.3.4");

    try (NodeRuntime node = V8Host.getNodeInstance().createV8Runtime()) {
      String script = "const common = require(" + JSON.writeValueAsString(common.root().toString()) + ");\n"
          + "common.fn(s => ({ ...s, data: 42 }))({ data: 1 }).data";
      assertThat(node.getExecutor(script).executeInteger()).isEqualTo(42);
    }
  }
}
