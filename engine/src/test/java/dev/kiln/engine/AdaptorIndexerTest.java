package dev.kiln.engine;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** What the engine accepts from an indexing process before it stores an index. */
class AdaptorIndexerTest {
  private static final String ALIAS = "@openfn/language-common_3.3.4";

  private static ObjectNode index(String from, String to) {
    ObjectNode index = new ObjectMapper().createObjectNode()
        .put("format", 3).put("alias", ALIAS).put("node", "22.12.0").put("javet", "4.1.1").put("entry", "require")
        .put("packageStamp", "1:2:3");
    index.putArray("exportNames").add("default").add("fn");
    index.putObject("packages").put("date-fns", "4:5:6");
    index.putObject("resolutions").put(from, to);
    index.putObject("lazy");
    index.putObject("shapes");
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
  void acceptsOnlyLazyRequiresThatAreRecordedResolutionsWithAShape() {
    String key = ALIAS + "/dist\0date-fns";
    ObjectNode index = index(key, "date-fns/index.js");
    ((ObjectNode) index.get("lazy")).put(key, "date-fns/index.js");
    ((ObjectNode) index.get("shapes")).putObject("date-fns/index.js").put("kind", "object");
    assertThatCode(() -> AdaptorIndexer.check(index, ALIAS)).doesNotThrowAnyException();
    ObjectNode elsewhere = index.deepCopy();
    ((ObjectNode) elsewhere.get("lazy")).put(key, "evil/index.js");
    ((ObjectNode) elsewhere.get("shapes")).putObject("evil/index.js").put("kind", "object");
    ObjectNode unrecorded = index.deepCopy();
    ((ObjectNode) unrecorded.get("lazy")).put("x\0y", "date-fns/index.js");
    ObjectNode shapeless = index.deepCopy();
    ((ObjectNode) shapeless.get("shapes")).removeAll();
    for (ObjectNode bad : new ObjectNode[] {elsewhere, unrecorded, shapeless}) {
      assertThatThrownBy(() -> AdaptorIndexer.check(bad, ALIAS)).hasMessageContaining("lazy require that is not");
    }
    index.remove("shapes");
    assertThatThrownBy(() -> AdaptorIndexer.check(index, ALIAS)).hasMessageContaining("no export shapes");
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
        .hasMessageContaining("not a format-3 index of @openfn/language-http_7.2.10");
    assertThatThrownBy(() -> AdaptorIndexer.check(index("\0x", "x.js").put("format", 1), ALIAS))
        .hasMessageContaining("not a format-3 index");
    assertThatThrownBy(() -> AdaptorIndexer.check(index("\0x", "x.js").put("entry", "eval"), ALIAS))
        .hasMessageContaining("unknown build: eval");
    ObjectNode noNames = index("\0x", "x.js");
    noNames.remove("exportNames");
    assertThatThrownBy(() -> AdaptorIndexer.check(noNames, ALIAS)).hasMessageContaining("no export names");
    ObjectNode noNode = index("\0x", "x.js");
    noNode.remove("node");
    assertThatThrownBy(() -> AdaptorIndexer.check(noNode, ALIAS)).hasMessageContaining("which Node made it");
  }
}
