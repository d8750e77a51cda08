package dev.kiln.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the engine accepts from an indexing process before it stores an index. */
class AdaptorIndexerTest {
  private static final String ALIAS = "@openfn/language-common_3.3.4";

  private static ObjectNode index(String from, String to) {
    ObjectNode index = new ObjectMapper().createObjectNode()
        .put("format", 2).put("alias", ALIAS).put("node", "22.12.0").put("javet", "4.1.1").put("entry", "require")
        .put("packageStamp", "1:2:3");
    index.putObject("packages").put("date-fns", "4:5:6");
    index.putObject("resolutions").put(from, to);
    return index;
  }

  @Test
  void acceptsResolutionsInsideNodeModules() {
    assertThatCode(() -> AdaptorIndexer.check(index(ALIAS + "/dist\0date-fns", "date-fns/index.js"), ALIAS))
        .doesNotThrowAnyException();
    assertThatCode(() -> AdaptorIndexer.check(index("\0./x", "x.js"), ALIAS)).doesNotThrowAnyException();
  }

  @Test
  void refusesResolutionsThatLeaveNodeModules() {
    for (String to : new String[] {"../x.js", "/etc/passwd", "a/../../x.js", "a/./b.js", "", ".."}) {
      assertThatThrownBy(() -> AdaptorIndexer.check(index(ALIAS + "\0x", to), ALIAS))
          .as(to).isInstanceOf(IOException.class).hasMessageContaining("outside node_modules");
    }
    for (String from : new String[] {"../evil\0x", "/abs\0x", "no-separator"}) {
      assertThatThrownBy(() -> AdaptorIndexer.check(index(from, "x.js"), ALIAS))
          .as(from).isInstanceOf(IOException.class).hasMessageContaining("outside node_modules");
    }
  }

  @Test
  void refusesPackagesOutsideNodeModules() {
    ObjectNode index = index("\0x", "x.js");
    ((ObjectNode) index.get("packages")).put("../evil", "1:2:3");
    assertThatThrownBy(() -> AdaptorIndexer.check(index, ALIAS)).hasMessageContaining("package outside node_modules");
    index.remove("packages");
    assertThatThrownBy(() -> AdaptorIndexer.check(index, ALIAS)).hasMessageContaining("no packages");
  }

  @Test
  void refusesAnIndexOfAnotherAdaptorFormatOrBuild() {
    assertThatThrownBy(() -> AdaptorIndexer.check(index("\0x", "x.js"), "@openfn/language-http_7.2.10"))
        .hasMessageContaining("not a format-2 index of @openfn/language-http_7.2.10");
    assertThatThrownBy(() -> AdaptorIndexer.check(index("\0x", "x.js").put("format", 3), ALIAS))
        .hasMessageContaining("not a format-2 index");
    assertThatThrownBy(() -> AdaptorIndexer.check(index("\0x", "x.js").put("entry", "eval"), ALIAS))
        .hasMessageContaining("unknown build: eval");
    ObjectNode noNode = index("\0x", "x.js");
    noNode.remove("node");
    assertThatThrownBy(() -> AdaptorIndexer.check(noNode, ALIAS)).hasMessageContaining("which Node made it");
  }

  /** An index whose precompiled modules are the file x/a.js of {@code nodeModules}, its cache bytes 0..4. */
  private static ObjectNode withModule(Path nodeModules, String content, String path, long start, long end) throws IOException {
    Files.createDirectories(nodeModules.resolve("x"));
    Files.writeString(nodeModules.resolve("x/a.js"), content);
    ObjectNode index = index("\0x", "x.js");
    index.putObject("bundle").putArray("modules").addArray()
        .add(path).add(AdaptorIndexer.sha256("exports.a = 1;".getBytes(StandardCharsets.UTF_8))).add(start).add(end);
    return index;
  }

  @Test
  void keepsPrecompiledModulesMadeFromTheInstalledFilesWithTheCachesSha256(@TempDir Path nodeModules) throws IOException {
    byte[] cache = {1, 2, 3, 4};
    ObjectNode index = withModule(nodeModules, "exports.a = 1;", "x/a.js", 0, 4);
    assertThat(AdaptorIndexer.checkPrecompiled(index, cache, nodeModules, ALIAS)).isTrue();
    assertThat(index.path("bundle").path("cacheSha256").asText()).isEqualTo(AdaptorIndexer.sha256(cache));
    ObjectNode withBom = withModule(nodeModules, "\uFEFFexports.a = 1;", "x/a.js", 0, 4);
    assertThat(AdaptorIndexer.checkPrecompiled(withBom, cache, nodeModules, ALIAS)).as("Node drops the BOM").isTrue();
  }

  @Test
  void dropsPrecompiledModulesOutsideNodeModulesNotMadeFromTheInstalledFilesOrOutsideTheCaches(@TempDir Path nodeModules)
      throws IOException {
    byte[] cache = {1, 2, 3, 4};
    Object[][] bad = { // installed content, module path, cache range
      {"exports.a = 1;", "../x/a.js", 0, 4},
      {"exports.a = 1;", "/etc/passwd", 0, 4},
      {"exports.a = 2;", "x/a.js", 0, 4}, // changed since
      {"exports.a = 1;", "x/a.js", 2, 5},
      {"exports.a = 1;", "x/a.js", 3, 2},
      {"exports.a = 1;", "x/missing.js", 0, 4},
    };
    for (Object[] b : bad) {
      ObjectNode index = withModule(nodeModules, (String) b[0], (String) b[1], (Integer) b[2], (Integer) b[3]);
      assertThat(AdaptorIndexer.checkPrecompiled(index, cache, nodeModules, ALIAS)).as(index.toString()).isFalse();
      assertThat(index.has("bundle")).as("the index is kept, without them").isFalse();
    }
    ObjectNode noCache = withModule(nodeModules, "exports.a = 1;", "x/a.js", 0, 4);
    assertThat(AdaptorIndexer.checkPrecompiled(noCache, null, nodeModules, ALIAS)).isFalse();
    assertThat(AdaptorIndexer.checkPrecompiled(index("\0x", "x.js"), cache, nodeModules, ALIAS)).as("none recorded").isFalse();
  }
}
