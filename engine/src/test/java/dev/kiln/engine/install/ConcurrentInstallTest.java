package dev.kiln.engine.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installs of one package into one repo racing from several threads and several processes. */
@Tag("integration") // starts an HTTP server and JVMs
class ConcurrentInstallTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PACKAGES = 4;

  @TempDir Path repo;
  @TempDir Path cache;
  private TestRegistry registry;

  @BeforeEach
  void publish() throws IOException {
    registry = TestRegistry.start();
    registry.publish("racer", "1.0.0").dependency("dep-a", "^1").dependency("dep-b", "^1").done();
    registry.publish("dep-a", "1.0.0").dependency("dep-c", "^1").done();
    registry.publish("dep-b", "1.0.0").done();
    registry.publish("dep-c", "1.0.0").done();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void threadsEndWithOneInstall() throws Exception {
    int threads = 6;
    registry.gatePackument("racer", threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<InstalledPackage>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return new AdaptorInstaller(repo, registry.config(), cache, null).install("racer@1.0.0");
        }));
      }
      start.countDown();
      for (Future<InstalledPackage> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS).root()).isEqualTo(repo.resolve("node_modules/racer_1.0.0"));
      }
    }
    assertOneCorrectInstall();
  }

  @Test
  void threadsNamingTheRepoDifferentlyShareItsLock(@TempDir Path elsewhere) throws Exception {
    Path link = Files.createSymbolicLink(elsewhere.resolve("repo-link"), repo);
    registry.gatePackument("racer", 2);
    CountDownLatch start = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      List<Future<InstalledPackage>> results = new ArrayList<>();
      for (Path name : List.of(repo, link)) {
        results.add(pool.submit(() -> {
          start.await();
          return new AdaptorInstaller(name, registry.config(), cache, null).install("racer@1.0.0");
        }));
      }
      start.countDown();
      for (Future<InstalledPackage> result : results) {
        assertThat(result.get(60, TimeUnit.SECONDS).root().toRealPath())
            .isEqualTo(repo.resolve("node_modules/racer_1.0.0").toRealPath());
      }
    }
    assertOneCorrectInstall();
  }

  @Test
  void processesEndWithOneInstall() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<Process> processes = new ArrayList<>();
    registry.gatePackument("racer", 3);
    for (int i = 0; i < 3; i++) {
      processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
              InstallInAnotherProcess.class.getName(),
              repo.toString(), registry.url().toString(), cache.toString(), "racer@1.0.0")
          .redirectErrorStream(true)
          .start());
    }
    for (Process p : processes) {
      String output = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(output).isZero();
      assertThat(output).contains(repo.resolve("node_modules/racer_1.0.0").toString());
    }
    assertOneCorrectInstall();
  }

  private void assertOneCorrectInstall() throws IOException {
    JsonNode deps = JSON.readTree(repo.resolve("package.json").toFile()).path("dependencies");
    assertThat(deps.fieldNames()).toIterable().containsExactly("racer_1.0.0");
    for (String folder : List.of("racer_1.0.0", "dep-a", "dep-b", "dep-c")) {
      assertThat(repo.resolve("node_modules").resolve(folder).resolve("package.json")).exists();
      assertThat(repo.resolve("node_modules").resolve(folder).resolve("index.js")).exists();
    }
    assertThat(registry.tarballHits()).as("each tarball downloaded once: installs were serialized")
        .isEqualTo(PACKAGES);
    try (Stream<Path> entries = Files.list(repo)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("package.json", "node_modules", RepoLock.FILE_NAME);
    }
  }
}
