package dev.kiln.engine.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoManifestTest {
  @TempDir Path dir;

  @Test
  void createsTheReferencesDefaultRepoInNpmsFormat() throws IOException {
    Path repo = dir.resolve("deep/er/repo");
    RepoManifest manifest = new RepoManifest(repo);
    manifest.ensureExists();

    assertThat(repo.resolve("package.json")).hasContent("""
        {
          "name": "openfn-repo",
          "description": "A repository for modules used by the openfn runtime",
          "private": true,
          "author": "Open Function Group <admin@openfn.org>",
          "version": "1.0.0",
          "dependencies": {}
        }
        """);
    assertThat(manifest.aliases()).isEmpty();
  }

  @Test
  void addsAliasesSortedAndKeepsAnExistingFile() throws IOException {
    RepoManifest manifest = new RepoManifest(dir);
    Files.writeString(dir.resolve("package.json"), "{\"name\":\"mine\",\"dependencies\":{\"b_1.0.0\":\"npm:b@1.0.0\"}}");
    manifest.ensureExists();
    manifest.addAlias("@openfn/language-http", "7.2.10");
    manifest.addAlias("a", "2.0.0");

    assertThat(manifest.aliases()).containsExactly("@openfn/language-http_7.2.10", "a_2.0.0", "b_1.0.0");
    assertThat(Files.readString(dir.resolve("package.json"))).isEqualTo("""
        {
          "name": "mine",
          "dependencies": {
            "@openfn/language-http_7.2.10": "npm:@openfn/language-http@7.2.10",
            "a_2.0.0": "npm:a@2.0.0",
            "b_1.0.0": "npm:b@1.0.0"
          }
        }
        """);
  }

  @Test
  void aBrokenFileSaysHowToFixIt() throws IOException {
    Files.writeString(dir.resolve("package.json"), "[1, 2");
    assertThatThrownBy(() -> new RepoManifest(dir).aliases())
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is not a JSON object; fix it or delete it");
  }
}
