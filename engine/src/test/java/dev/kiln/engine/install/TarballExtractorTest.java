package dev.kiln.engine.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarballExtractorTest {
  @TempDir Path dir;

  private Path extract(TarWriter tar) throws IOException {
    Path tgz = dir.resolve("p.tgz");
    Files.write(tgz, tar.tgz());
    Path target = dir.resolve("out");
    TarballExtractor.extract(tgz, target);
    return target;
  }

  @Test
  void dropsTheFirstPathComponentWhateverItIsCalled() throws IOException {
    Path out = extract(new TarWriter()
        .directory("package/")
        .file("package/package.json", "{}")
        .file("package/lib/index.js", "x")
        .file("node/README", "odd top folder"));
    assertThat(out.resolve("package.json")).hasContent("{}");
    assertThat(out.resolve("lib/index.js")).hasContent("x");
    assertThat(out.resolve("README")).hasContent("odd top folder");
  }

  @Test
  void refusesEntriesThatLeaveTheFolder() {
    assertThatThrownBy(() -> extract(new TarWriter().file("package/../../evil.js", "x")))
        .isInstanceOf(IOException.class).hasMessageContaining("escapes the package folder");
    assertThatThrownBy(() -> extract(new TarWriter().file("/etc/passwd", "x")))
        .isInstanceOf(IOException.class).hasMessageContaining("absolute path");
    assertThatThrownBy(() -> extract(new TarWriter().file("package\\..\\..\\evil.js", "x")))
        .isInstanceOf(IOException.class).hasMessageContaining("escapes");
    assertThat(dir.resolve("evil.js")).doesNotExist();
  }

  @Test
  void skipsLinks() throws IOException {
    Path out = extract(new TarWriter()
        .file("package/package.json", "{}")
        .symlink("package/passwd", "/etc/passwd")
        .hardlink("package/hard", "/etc/passwd")
        .symlink("package/up", "../../..")
        .file("package/after.js", "still read"));
    assertThat(out.resolve("passwd")).doesNotExist();
    assertThat(out.resolve("hard")).doesNotExist();
    assertThat(Files.exists(out.resolve("up"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(out.resolve("after.js")).hasContent("still read");
  }

  @Test
  void leavesExecutableBitsOff() throws IOException {
    Path out = extract(new TarWriter().executable("package/bin/cli.js", "#!/usr/bin/env node"));
    assertThat(Files.getPosixFilePermissions(out.resolve("bin/cli.js")))
        .doesNotContain(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
  }

  @Test
  void readsLongNamesFromPaxAndGnuHeaders() throws IOException {
    String longPath = "package/" + "deep/".repeat(30) + "file.js";
    Path out = extract(new TarWriter()
        .paxFile(longPath, "pax")
        .gnuLongNameFile("package/" + "gnu/".repeat(30) + "file.js", "gnu"));
    assertThat(out.resolve("deep/".repeat(30) + "file.js")).hasContent("pax");
    assertThat(out.resolve("gnu/".repeat(30) + "file.js")).hasContent("gnu");
    assertThat(out.resolve("placeholder-name")).doesNotExist();
  }

  @Test
  void paxPathsAreCheckedToo() {
    assertThatThrownBy(() -> extract(new TarWriter().paxFile("package/../../../x.js", "x")))
        .isInstanceOf(IOException.class).hasMessageContaining("escapes");
  }

  @Test
  void refusesACorruptHeader() {
    assertThatThrownBy(() -> TarballExtractor.extract(
            new ByteArrayInputStream(new TarWriter().corruptChecksumFile("package/a", "x").tar()), dir.resolve("o")))
        .isInstanceOf(IOException.class).hasMessageContaining("checksum");
  }

  @Test
  void refusesATruncatedArchive() {
    byte[] tar = new TarWriter().file("package/a.js", "x".repeat(2000)).tar();
    byte[] truncated = java.util.Arrays.copyOf(tar, 1024);
    assertThatThrownBy(() -> TarballExtractor.extract(new ByteArrayInputStream(truncated), dir.resolve("o")))
        .isInstanceOf(IOException.class);
  }
}
