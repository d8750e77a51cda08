package dev.kiln.engine.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repo written by Kiln works with the reference's npm commands and the other way round: npm
 * installs into a Kiln repo and `npm ls` finds a valid tree; Kiln installs into an npm repo and
 * reuses what npm installed. Needs npm on the PATH (test only: Kiln itself never runs npm).
 */
@Tag("integration")
class NpmInteropTest {
  private static final List<String> REFERENCE_FLAGS =
      List.of("--no-audit", "--no-fund", "--no-package-lock", "--ignore-scripts");

  @TempDir Path repo;

  @BeforeAll
  static void needsNpm() {
    assumeTrue(Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, "npm"))), "npm is not on the PATH");
  }

  private String npm(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("npm"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as("npm %s:%n%s", String.join(" ", args), output).isZero();
    return output;
  }

  private void npmInstallAlias(String name, String version) throws Exception {
    List<String> args = new ArrayList<>(List.of("install"));
    args.addAll(REFERENCE_FLAGS);
    args.add(name + "_" + version + "@npm:" + name + "@" + version);
    npm(args.toArray(String[]::new));
  }

  @Test
  void npmAcceptsAndExtendsARepoWrittenByKiln() throws Exception {
    AdaptorInstaller kiln = new AdaptorInstaller(repo, RegistryConfig.fromEnvironment());
    kiln.install("@openfn/language-common@3.3.4");
    npm("ls", "--all");

    npmInstallAlias("@openfn/language-common", "3.3.1");

    npm("ls", "--all");
    assertThat(kiln.isInstalled("@openfn/language-common", "3.3.1")).isTrue();
    assertThat(kiln.isInstalled("@openfn/language-common", "3.3.4")).isTrue();
    assertThat(kiln.latestInstalledVersion("@openfn/language-common")).contains("3.3.4");
  }

  @Test
  void kilnReusesAndExtendsARepoWrittenByNpm() throws Exception {
    Files.writeString(repo.resolve("package.json"),
        "{\"name\":\"openfn-repo\",\"private\":true,\"version\":\"1.0.0\",\"dependencies\":{}}");
    npmInstallAlias("@openfn/language-common", "3.3.1");
    Path npmsFolder = repo.resolve("node_modules/@openfn/language-common_3.3.1");
    long npmsMtime = Files.getLastModifiedTime(npmsFolder.resolve("package.json")).toMillis();
    AdaptorInstaller kiln = new AdaptorInstaller(repo, RegistryConfig.fromEnvironment());

    assertThat(kiln.install("@openfn/language-common@3.3.1").root()).isEqualTo(npmsFolder);
    kiln.install("@openfn/language-http");

    assertThat(Files.getLastModifiedTime(npmsFolder.resolve("package.json")).toMillis()).isEqualTo(npmsMtime);
    assertThat(repo.resolve("node_modules/.package-lock.json")).doesNotExist(); // npm's stale hidden lockfile
    npm("ls", "--all");
  }
}
