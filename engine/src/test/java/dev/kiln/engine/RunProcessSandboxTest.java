package dev.kiln.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunProcessSandboxTest {
  @TempDir Path dir;

  @Test
  void runFoldersArePrivateEmptyAndDeletedWithTheirContent() throws Exception {
    RunProcessSandbox sandbox = RunProcessSandbox.lockedDown(dir.resolve("repo"), null);
    Path folder = sandbox.createRunFolder();
    assertThat(folder).isEmptyDirectory();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
    Files.createDirectories(folder.resolve("a/b"));
    Files.writeString(folder.resolve("a/b/c.txt"), "left by the run");
    RunProcessSandbox.deleteRunFolder(folder);
    assertThat(folder).doesNotExist();
    assertThat(sandbox.createRunFolder()).isNotEqualTo(folder);
  }

  @Test
  void theProcessGetsItsFolderAndTheRepoAndNoPrefixWithoutRunAs() throws Exception {
    RunProcessSandbox sandbox = RunProcessSandbox.lockedDown(dir.resolve("repo"), null).withCompileCache(null);
    assertThat(sandbox.commandPrefix()).isEmpty();
    assertThat(sandbox.jvmOptions()).isEmpty();
    assertThat(sandbox.processArguments(dir.resolve("run")))
        .containsExactly("--work-dir", dir.resolve("run").toString(), "--read-dir", dir.resolve("repo").toString());
  }

  @Test
  void moreFoldersMayBeReadable() {
    RunProcessSandbox sandbox = RunProcessSandbox.lockedDown(dir.resolve("repo"), List.of(dir.resolve("monorepo")), null);
    assertThat(sandbox.processArguments(dir.resolve("run"))).containsExactly("--work-dir", dir.resolve("run").toString(),
        "--read-dir", dir.resolve("repo").toString(), "--read-dir", dir.resolve("monorepo").toString());
  }

  @Test
  void theLauncherPutsTheLockdownOnTheCommandLine() throws Exception {
    RunProcessLauncher launcher = RunProcessLauncher.ofCurrentJvm()
        .lockedDown(RunProcessSandbox.lockedDown(dir.resolve("repo"), null));
    List<String> command = launcher.command(300, List.of(), dir.resolve("run"));
    assertThat(command).contains("-Djava.io.tmpdir=" + dir.resolve("run"));
    assertThat(String.join(" ", command)).endsWith(
        "--memory-mb 300 --work-dir " + dir.resolve("run") + " --read-dir " + dir.resolve("repo"));
  }

  @Test
  void runAsUsersComeFromThePasswdFileAndMustNotBeRoot() throws Exception {
    Path passwd = Files.writeString(dir.resolve("passwd"),
        "root:x:0:0:root:/root:/bin/bash\nkiln-run:x:998:997::/nonexistent:/usr/sbin/nologin\n");
    if ("root".equals(System.getProperty("user.name"))) {
      RunProcessSandbox.RunAsUser user = RunProcessSandbox.RunAsUser.lookUp("kiln-run", passwd);
      assertThat(user).isEqualTo(new RunProcessSandbox.RunAsUser("kiln-run", 998, 997));
      assertThatThrownBy(() -> RunProcessSandbox.RunAsUser.lookUp("root", passwd)).hasMessageContaining("unprivileged");
      assertThatThrownBy(() -> RunProcessSandbox.RunAsUser.lookUp("nobody-here", passwd))
          .hasMessageContaining("no such user").hasMessageContaining("useradd");
    } else {
      assertThatThrownBy(() -> RunProcessSandbox.RunAsUser.lookUp("kiln-run", passwd))
          .hasMessageContaining("needs the worker to run as root");
    }
  }

  @Test
  void theCompileCacheFolderIsCreatedPrivateAndPassedToTheProcess() throws Exception {
    Path cache = dir.resolve("caches/compile");
    RunProcessSandbox sandbox = RunProcessSandbox.lockedDown(dir.resolve("repo"), null).withCompileCache(cache);
    assertThat(sandbox.jvmOptions()).containsExactly("-Dkiln.compile.cache=" + cache);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
    assertThat(sandbox.jvmOptions()).as("an existing private folder").containsExactly("-Dkiln.compile.cache=" + cache);
  }

  @Test
  void theCompileCacheIsOffInAFolderJobCodeCouldReadOrOthersCouldWrite() throws Exception {
    RunProcessSandbox inRepo = RunProcessSandbox.lockedDown(dir.resolve("repo"), null)
        .withCompileCache(dir.resolve("repo/.cache"));
    assertThat(inRepo.jvmOptions()).isEmpty();
    assertThat(dir.resolve("repo/.cache")).doesNotExist();

    Path shared = Files.createDirectories(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwx---"));
    assertThat(RunProcessSandbox.lockedDown(dir.resolve("repo"), null).withCompileCache(shared).jvmOptions()).isEmpty();

    Path link = Files.createSymbolicLink(dir.resolve("link"), Files.createDirectories(dir.resolve("target")));
    assertThat(RunProcessSandbox.lockedDown(dir.resolve("repo"), null).withCompileCache(link).jvmOptions()).isEmpty();

    if ("root".equals(System.getProperty("user.name"))) {
      Path foreign = Files.createDirectories(dir.resolve("foreign"));
      Files.setOwner(foreign, foreign.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
      assertThat(RunProcessSandbox.lockedDown(dir.resolve("repo"), null).withCompileCache(foreign).jvmOptions()).isEmpty();
    }
  }

  @Test
  void theDefaultCompileCacheIsInTheUsersCacheFolder() {
    Path cache = RunProcessSandbox.lockedDown(dir.resolve("repo"), null).compileCacheDir();
    if (System.getProperty("kiln.compile.cache") == null) {
      assertThat(cache.toString()).endsWith("kiln/compile-cache");
    }
  }
}
