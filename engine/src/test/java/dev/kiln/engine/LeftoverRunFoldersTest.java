package dev.kiln.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeftoverRunFoldersTest {
  @TempDir Path tmp;

  @Test
  void deletesTheFoldersOfEndedWorkersOnly() throws Exception {
    Process ended = new ProcessBuilder("sleep", "60").start();
    long endedPid = ended.pid();
    long endedStart = ended.info().startInstant().orElseThrow().toEpochMilli();
    ended.destroyForcibly();
    assertThat(ended.waitFor(30, TimeUnit.SECONDS)).isTrue();

    Path mine = Files.createTempDirectory(tmp, LeftoverRunFolders.prefix());
    Path ofEndedWorker = Files.createDirectories(tmp.resolve("kiln-run-" + endedPid + "-" + endedStart + "-1"));
    Files.writeString(Files.createDirectories(ofEndedWorker.resolve("sub")).resolve("state.json"), "{}");
    Path pidReused = Files.createDirectories(tmp.resolve("kiln-run-" + ProcessHandle.current().pid() + "-1-2"));
    Path otherName = Files.createDirectories(tmp.resolve("kiln-run-12345"));
    Path notAFolder = Files.writeString(tmp.resolve("kiln-run-" + endedPid + "-" + endedStart + "-file"), "x");

    assertThat(LeftoverRunFolders.sweep(tmp)).isEqualTo(2);

    assertThat(mine).isDirectory();
    assertThat(ofEndedWorker).doesNotExist();
    assertThat(pidReused).doesNotExist();
    assertThat(otherName).isDirectory();
    assertThat(notAFolder).isRegularFile();
  }

  @Test
  void aMissingTempFolderIsNotAnError() {
    assertThat(LeftoverRunFolders.sweep(tmp.resolve("absent"))).isZero();
  }
}
