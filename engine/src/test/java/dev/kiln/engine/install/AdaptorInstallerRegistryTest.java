package dev.kiln.engine.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.caoccao.javet.interop.NodeRuntime;
import com.caoccao.javet.interop.V8Host;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs real adaptors from the npm registry (as configured for this machine) and loads them
 * in embedded Node. Tarballs come from the shared disk cache after the first run.
 */
@Tag("integration")
class AdaptorInstallerRegistryTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path repo;

  private static String js(Object value) throws Exception {
    return JSON.writeValueAsString(value.toString());
  }

  @Test
  void installsLanguageCommonAndHttpWhereNodeRequiresThem() throws Exception {
    AdaptorInstaller installer = new AdaptorInstaller(repo, RegistryConfig.fromEnvironment());

    InstalledPackage common = installer.install("@openfn/language-common@3.3.4");
    InstalledPackage http = installer.install("@openfn/language-http");

    assertThat(common.root()).isEqualTo(repo.resolve("node_modules/@openfn/language-common_3.3.4"));
    assertThat(http.version()).isEqualTo(installer.resolve("@openfn/language-http@latest").version());
    assertThat(http.root()).isEqualTo(repo.resolve("node_modules/@openfn/language-http_" + http.version()));
    JsonNode deps = JSON.readTree(repo.resolve("package.json").toFile()).path("dependencies");
    assertThat(deps.path("@openfn/language-common_3.3.4").asText()).isEqualTo("npm:@openfn/language-common@3.3.4");
    assertThat(deps.path("@openfn/language-http_" + http.version()).asText())
        .isEqualTo("npm:@openfn/language-http@" + http.version());
    assertThat(JSON.readTree(http.root().resolve("package.json").toFile()).path("version").asText())
        .isEqualTo(http.version());
    assertThat(repo.resolve("node_modules/lodash/package.json")).exists(); // hoisted
    assertThat(installer.isInstalled("@openfn/language-common", "3.3.4")).isTrue();
    assertThat(installer.latestInstalledVersion("@openfn/language-http")).contains(http.version());

    try (NodeRuntime node = V8Host.getNodeInstance().createV8Runtime()) {
      String callFn = "const common = require(" + js(common.root()) + ");\n"
          + "common.fn(s => ({ ...s, data: 42 }))({ data: 1 }).data";
      assertThat(node.getExecutor(callFn).executeInteger()).isEqualTo(42);

      String loadHttp = "const http = require(" + js(http.root()) + ");\n"
          + "[typeof http.get, typeof http.post, typeof http.fn].join(',')";
      assertThat(node.getExecutor(loadHttp).executeString()).isEqualTo("function,function,function");

      // the adaptor's own dependency on language-common resolves inside the repo, to the
      // version it asked for, not to the aliased 3.3.4
      String wantedCommon = JSON.readTree(http.root().resolve("package.json").toFile())
          .path("dependencies").path("@openfn/language-common").asText();
      String resolveCommon = "const { createRequire } = require('module');\n"
          + "const fromHttp = createRequire(" + js(http.root().resolve("package.json")) + ");\n"
          + "fromHttp.resolve('@openfn/language-common/package.json')";
      String resolved = node.getExecutor(resolveCommon).executeString();
      assertThat(Path.of(resolved)).startsWith(repo.resolve("node_modules"));
      String resolvedVersion = JSON.readTree(Path.of(resolved).toFile()).path("version").asText();
      assertThat(SemverRange.parse(wantedCommon).orElseThrow()
              .isSatisfiedBy(SemverVersion.parse(resolvedVersion).orElseThrow()))
          .as("%s satisfies %s", resolvedVersion, wantedCommon).isTrue();
    }
  }

  @Test
  void twoThreadsInstallingTheSameAdaptorEndWithOneInstall() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      Future<InstalledPackage> first = pool.submit(() -> {
        start.await();
        return new AdaptorInstaller(repo, RegistryConfig.fromEnvironment()).install("@openfn/language-common@3.3.4");
      });
      Future<InstalledPackage> second = pool.submit(() -> {
        start.await();
        return new AdaptorInstaller(repo, RegistryConfig.fromEnvironment()).install("@openfn/language-common@3.3.4");
      });
      start.countDown();
      assertThat(first.get(5, TimeUnit.MINUTES)).isEqualTo(second.get(5, TimeUnit.MINUTES));
    }
    JsonNode deps = JSON.readTree(repo.resolve("package.json").toFile()).path("dependencies");
    assertThat(deps.fieldNames()).toIterable().containsExactly("@openfn/language-common_3.3.4");
    assertThat(repo.resolve("node_modules/@openfn/language-common_3.3.4/dist/index.cjs")).exists();
    try (var entries = java.nio.file.Files.list(repo)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("package.json", "node_modules", RepoLock.FILE_NAME);
    }
  }
}
