package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessArgsTest {
  @Test
  void withoutAWorkDirNodeIsNotLockedDown() {
    RunProcessMain.ProcessArgs args = RunProcessMain.ProcessArgs.parse(new String[] {"--memory-mb", "300"});
    assertThat(args.heapLimitMb()).isEqualTo(300);
    assertThat(args.permissions()).isNull();
  }

  @Test
  void aWorkDirAndReadDirsLockNodeDown() {
    RunProcessMain.ProcessArgs args = RunProcessMain.ProcessArgs.parse(
        new String[] {"--memory-mb", "300", "--work-dir", "/tmp/run-1", "--read-dir", "/srv/repo", "--read-dir", "/srv/b/../extra"});
    assertThat(args.permissions()).isEqualTo(
        new NodePermissions(Path.of("/tmp/run-1"), List.of(Path.of("/srv/repo"), Path.of("/srv/extra"))));
  }

  @Test
  void eachReadPathIsGivenToNodeOnce() {
    NodePermissions permissions = new NodePermissions(Path.of("/tmp/run-1"),
        List.of(Path.of("/srv/repo"), Path.of("/srv/monorepo"), Path.of("/srv/repo")));
    assertThat(permissions.readPaths()).doesNotHaveDuplicates().containsExactly(
        "/tmp/run-1", "/srv/repo", "/srv/monorepo", "/srv/package.json", "/package.json");
  }

  @Test
  void mistakesAreExplained() {
    assertThatThrownBy(() -> RunProcessMain.ProcessArgs.parse(new String[] {"--read-dir", "/srv/repo"}))
        .hasMessageContaining("--read-dir needs --work-dir");
    assertThatThrownBy(() -> RunProcessMain.ProcessArgs.parse(new String[] {"--work-dir"}))
        .hasMessageContaining("usage");
    assertThatThrownBy(() -> RunProcessMain.ProcessArgs.parse(new String[] {"--memory-mb", "lots"}))
        .hasMessageContaining("number of megabytes");
  }
}
