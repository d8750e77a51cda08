package dev.kiln.lightning.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamedJsonTest {
  /** Every character JSON must escape, quotes, backslash, DEL, line separators, and 1- to 4-byte UTF-8. */
  private static final String AWKWARD;

  static {
    StringBuilder text = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      text.append(c).append('a');
    }
    text.append("\"\\/\u007f\u0080\u2028\u2029é€😀𝄞\uFFFD");
    AWKWARD = text.toString();
  }

  @TempDir Path dir;

  private Path file(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  private static String written(Object value) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("step_id", "s");
    payload.put("output_dataclip", value);
    payload.put("reason", "success");
    return LightningJson.write(payload);
  }

  @Test
  void aStringValueIsEscapedExactlyAsJacksonEscapesTheWholeString() throws IOException {
    String text = "{\"data\":\"" + AWKWARD.repeat(3) + "\"}";
    Path file = file("state.json", text);
    assertThat(written(StreamedJson.string(file, Files.size(file)))).isEqualTo(written(text));
    assertThat(LightningJson.parse(written(StreamedJson.string(file, Files.size(file)))).path("output_dataclip").asText())
        .isEqualTo(text);
  }

  /**
   * The file is decoded 8 K at a time: a multi-byte character (2, 3 and 4 bytes, and a surrogate
   * pair in UTF-16) split by every buffer boundary comes out whole.
   */
  @Test
  void characterSplitAcrossReadBuffersComeOutWhole() throws IOException {
    for (int shift = 0; shift < 4; shift++) {
      StringBuilder text = new StringBuilder();
      while (text.length() < 100_000) {
        text.append("x".repeat(8192 - 1 - shift)).append(AWKWARD);
      }
      Path file = file("split-" + shift + ".json", text.toString());
      String json = written(StreamedJson.string(file, Files.size(file)));
      assertThat(json).as("shift " + shift).isEqualTo(written(text.toString()));
    }
  }

  @Test
  void invalidUtf8BecomesTheReplacementCharacter() throws IOException {
    Path file = dir.resolve("bad.json");
    Files.write(file, new byte[] {'a', (byte) 0xC3, 'b', (byte) 0xFF});
    assertThat(LightningJson.parse(written(StreamedJson.string(file, 4))).path("output_dataclip").asText())
        .isEqualTo("a\uFFFDb\uFFFD");
  }

  @Test
  void aRawValueIsWrittenVerbatimBetweenItsNeighbours() throws IOException {
    StringBuilder state = new StringBuilder("{\"data\":[");
    for (int i = 0; i < 20_000; i++) {
      state.append(i == 0 ? "" : ",").append("{\"n\":").append(i).append(",\"s\":\"é😀\\n\"}");
    }
    state.append("]}");
    Path file = file("final.json", state.toString());
    ObjectNode payload = JsonNodeFactory.instance.objectNode().put("reason", "success");
    payload.putPOJO("final_state", StreamedJson.raw(file, Files.size(file)));
    payload.put("final_dataclip_id", "d");
    assertThat(LightningJson.write(payload))
        .isEqualTo("{\"reason\":\"success\",\"final_state\":" + state + ",\"final_dataclip_id\":\"d\"}");
  }
}
