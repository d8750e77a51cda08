package dev.kiln.engine;

import static dev.kiln.engine.RecordingListener.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --run-as}: a worker running as root starts its run processes as an unprivileged user.
 * Needs root and {@code useradd}: the test creates the system user {@code kiln-sandbox-test} once
 * (idempotent) and copies the class path to a folder that user can read (the build's
 * {@code ~/.m2} usually is not).
 */
@Tag("integration")
@Timeout(180)
class RunAsIntegrationTest {
  private static final String USER = "kiln-sandbox-test";

  @TempDir Path dir;

  @Test
  void theRunProcessRunsAsTheUserWithoutGroupsInItsOwnFolder() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "--run-as needs the worker to run as root");
    assumeTrue(ensureUser(), "useradd is not available");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path repo = dir.resolve("repo");
    TestPlans.installAdaptor(repo, "whoami", "", """
        exports.whoami = () => (state) => ({ data: { uid: process.getuid(), gid: process.getgid(),
          groups: process.getgroups(), folderOwner: require('node:fs').statSync('.').uid, cwd: process.cwd() } });
        """);
    chmodTree(repo);
    RunProcessLauncher launcher = new RunProcessLauncher(Path.of(System.getProperty("java.home")), readableClasspath())
        .lockedDown(RunProcessSandbox.lockedDown(repo, USER).withCompileCache(dir.resolve("compile-cache")));
    try (RunSupervisor supervisor = new RunSupervisor(repo, new PlanAutoinstaller(spec -> "1.0.0"), launcher, false)) {
      RecordingListener listener = new RecordingListener();
      RunOutcome outcome = supervisor.run(
          RunRequest.of(TestPlans.oneStep("whoami", "whoami();", "@openfn/language-whoami@1.0.0"), null), listener);
      assertThat(outcome.failure()).as(listener.logText()).isNull();
      JsonNode data = json(outcome.finalState()).path("data");
      int uid = Integer.parseInt(run("id", "-u", USER).trim());
      assertThat(data.path("uid").asInt()).isEqualTo(uid);
      assertThat(data.path("folderOwner").asInt()).isEqualTo(uid);
      assertThat(data.path("groups").toString()).doesNotContain("0");
      EscapeSuiteIntegrationTest.awaitDeletion(Path.of(data.path("cwd").asText()));

      // the compile cache folder is the user's, and its run processes use it
      assertThat(Files.getOwner(dir.resolve("compile-cache")).getName()).isEqualTo(USER);
      RecordingListener second = new RecordingListener();
      assertThat(supervisor.run(RunRequest.of(TestPlans.oneStep("whoami", "whoami();", "@openfn/language-whoami@1.0.0"), null),
          second).failure()).as(second.logText()).isNull();
      assertThat(second.ofType(RunEvent.COMPILE_COMPLETE).get(0).meta().path("cachedSteps").asInt()).isEqualTo(1);
    }
  }

  private static boolean ensureUser() throws Exception {
    if (run("id", "-u", USER) != null) {
      return true;
    }
    return run("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER) != null
        || run("id", "-u", USER) != null;
  }

  /** The command's output, or null when it failed or does not exist. */
  private static String run(String... command) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** This JVM's class path with every jar copied to a folder anyone can read. */
  private String readableClasspath() throws IOException {
    Path jars = Files.createDirectories(dir.resolve("classpath"));
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path source = Path.of(entry);
      if (Files.isRegularFile(source)) {
        Path copy = jars.resolve((n++) + "-" + source.getFileName());
        Files.copy(source, copy, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        entries.add(copy.toString());
      } else {
        entries.add(entry);
      }
    }
    Files.setPosixFilePermissions(jars, PosixFilePermissions.fromString("rwxr-xr-x"));
    return String.join(File.pathSeparator, entries);
  }

  private static void chmodTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.toList()) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
      }
    }
  }
}
