package dev.kiln.engine.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class VersionPickerTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Packument packument(String latest, String... versions) throws IOException {
    ObjectNode json = JSON.createObjectNode();
    json.putObject("dist-tags").put("latest", latest).put("next", "3.0.0-rc.1");
    ObjectNode all = json.putObject("versions");
    for (String v : versions) {
      ObjectNode manifest = all.putObject(v.replace("!", ""));
      manifest.put("version", v.replace("!", ""));
      if (v.endsWith("!")) manifest.put("deprecated", "broken");
    }
    return Packument.read("pkg", JSON.treeAsTokens(json));
  }

  private static String pick(Packument p, String wanted) throws AdaptorInstallException {
    return VersionPicker.pick(p, wanted).version();
  }

  @Test
  void distTagsExactVersionsAndRanges() throws Exception {
    Packument p = packument("2.1.0", "1.0.0", "1.5.0", "2.1.0", "2.2.0", "3.0.0-rc.1");
    assertThat(pick(p, "latest")).isEqualTo("2.1.0");
    assertThat(pick(p, "")).isEqualTo("2.1.0");
    assertThat(pick(p, "next")).isEqualTo("3.0.0-rc.1");
    assertThat(pick(p, "1.0.0")).isEqualTo("1.0.0");
    assertThat(pick(p, "v1.0.0")).isEqualTo("1.0.0");
    assertThat(pick(p, "^1")).isEqualTo("1.5.0");
    assertThat(pick(p, "^2")).as("latest wins when it satisfies").isEqualTo("2.1.0");
    assertThat(pick(p, ">=2.1.1")).isEqualTo("2.2.0");
    assertThat(pick(p, "*")).isEqualTo("2.1.0");
  }

  @Test
  void avoidsDeprecatedVersionsWhenAnotherSatisfies() throws Exception {
    assertThat(pick(packument("1.0.0", "1.0.0", "1.1.0", "1.2.0!"), "^1.1")).isEqualTo("1.1.0");
    assertThat(pick(packument("1.0.0", "1.0.0", "1.2.0!"), "^1.1")).isEqualTo("1.2.0");
  }

  @Test
  void explainsWhatIsAvailable() throws IOException {
    Packument p = packument("2.1.0", "1.0.0", "2.1.0");
    assertThatThrownBy(() -> pick(p, "4.0.0"))
        .hasMessage("Version 4.0.0 of pkg is not published. Latest versions: 2.1.0, 1.0.0"
            + " (dist-tags: latest=2.1.0, next=3.0.0-rc.1). Use one of these, or @latest.");
    assertThatThrownBy(() -> pick(p, "^5")).hasMessageContaining("No published version of pkg matches \"^5\"");
    assertThatThrownBy(() -> pick(p, "beta")).hasMessageContaining("\"beta\" (wanted for pkg) is neither");
    assertThatThrownBy(() -> pick(p, "next")).hasMessageContaining("points to version 3.0.0-rc.1, which is not published");
  }
}
