package dev.kiln.engine;

import static dev.kiln.engine.RecordingListener.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.engine.install.AdaptorInstaller;
import dev.kiln.engine.install.PackageFromTarball;
import dev.kiln.engine.install.RegistryConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compile cache through real, locked-down run processes: a repeated step is not compiled
 * again, a corrupt entry is recompiled, an unusable folder only turns the cache off, and code of
 * the run can neither write nor read the folder.
 */
@Tag("integration")
@Timeout(300)
class CompileCacheIntegrationTest {
  private static final String ADAPTOR = "@openfn/language-cachetest@1.0.0";
  private static final String JOB = "fn(s => ({ ...s, data: { n: 1 } }));";

  @TempDir static Path root;
  private static Path repo;
  private static PlanAutoinstaller autoinstaller;

  @BeforeAll
  static void installAnAdaptor() throws Exception {
    repo = Files.createDirectories(root.resolve("repo"));
    PackageFromTarball.install(repo, "@openfn/language-cachetest", "1.0.0", Map.of("index.js", """
        const fs = require('node:fs');
        exports.fn = (f) => (state) => f(state);
        /** Tries to plant an entry in the compile cache folder, to list it and to read an entry. */
        exports.attackCache = (dir, entry) => (state) => {
          const attempt = (f) => { try { f(); return 'done'; } catch (e) { return String(e.code || e.message); } };
          return { data: {
            write: attempt(() => fs.writeFileSync(dir + '/step-' + 'a'.repeat(64), 'export default [() => ({ pwned: true })];')),
            list: attempt(() => fs.readdirSync(dir)),
            read: attempt(() => fs.readFileSync(entry)),
          } };
        };
        """), Map.of());
    AdaptorInstaller offline = new AdaptorInstaller(repo, RegistryConfig.of(URI.create("http://127.0.0.1:9/")));
    autoinstaller = new PlanAutoinstaller(spec -> offline.install(spec).version());
  }

  private static RunSupervisor supervisor(Path cache) {
    return new RunSupervisor(repo, autoinstaller,
        RunProcessLauncher.ofCurrentJvm().lockedDown(RunProcessSandbox.lockedDown(repo, null).withCompileCache(cache)), false);
  }

  private static RecordingListener run(RunSupervisor supervisor, String job) {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = supervisor.run(RunRequest.of(TestPlans.oneStep("cached", job, ADAPTOR), null), listener);
    assertThat(outcome.failure()).as(listener.logText()).isNull();
    return listener;
  }

  private static int cachedSteps(RecordingListener listener) {
    return listener.ofType(RunEvent.COMPILE_COMPLETE).get(0).meta().path("cachedSteps").asInt(-1);
  }

  private static List<Path> entries(Path cache, String prefix) throws IOException {
    try (Stream<Path> files = Files.list(cache)) {
      return files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
    }
  }

  @Test
  void aRepeatedStepIsTakenFromTheCacheAndACorruptEntryIsCompiledAgain() throws IOException {
    Path cache = root.resolve("cache-1");
    try (RunSupervisor supervisor = supervisor(cache)) {
      RecordingListener first = run(supervisor, JOB);
      assertThat(cachedSteps(first)).isZero();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
      assertThat(entries(cache, "step-")).hasSize(1);
      assertThat(entries(cache, "exports-")).hasSize(1);

      RecordingListener second = run(supervisor, JOB);
      assertThat(cachedSteps(second)).isEqualTo(1);
      assertThat(second.logText()).contains("Compiled code of step cached taken from the compile cache");
      assertThat(json(second.last().state())).isEqualTo(json(first.last().state()));
      assertThat(json(second.last().state()).path("data").path("n").asInt()).isEqualTo(1);

      Path entry = entries(cache, "step-").get(0);
      byte[] bytes = Files.readAllBytes(entry);
      bytes[bytes.length - 1] ^= 1;
      Files.write(entry, bytes);
      RecordingListener afterCorruption = run(supervisor, JOB);
      assertThat(cachedSteps(afterCorruption)).isZero();
      assertThat(json(afterCorruption.last().state())).isEqualTo(json(first.last().state()));
      assertThat(cachedSteps(run(supervisor, JOB))).as("stored again").isEqualTo(1);

      assertThat(cachedSteps(run(supervisor, JOB.replace("n: 1", "n: 2")))).as("another source").isZero();
    }
  }

  @Test
  void aFolderOtherUsersCouldWriteTurnsTheCacheOffWithoutFailingRuns() throws IOException {
    Path cache = Files.createDirectories(root.resolve("cache-shared"));
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
    try (RunSupervisor supervisor = supervisor(cache)) {
      assertThat(cachedSteps(run(supervisor, JOB))).isZero();
      assertThat(cachedSteps(run(supervisor, JOB))).isZero();
      assertThat(cache).isEmptyDirectory();
    }
  }

  @Test
  void codeOfTheRunCanNeitherWriteNorReadTheCacheFolder() throws IOException {
    Path cache = root.resolve("cache-attacked");
    try (RunSupervisor supervisor = supervisor(cache)) {
      run(supervisor, JOB); // an entry another workflow left
      Path entry = entries(cache, "step-").get(0);
      String attack = "attackCache(" + json("\"" + cache + "\"") + ", " + json("\"" + entry + "\"") + ");";
      JsonNode data = json(run(supervisor, attack).last().state()).path("data");

      assertThat(data.path("write").asText()).isEqualTo("ERR_ACCESS_DENIED");
      assertThat(data.path("list").asText()).isEqualTo("ERR_ACCESS_DENIED");
      assertThat(data.path("read").asText()).isEqualTo("ERR_ACCESS_DENIED");
      assertThat(cache.resolve("step-" + "a".repeat(64))).doesNotExist();
    }
  }
}
