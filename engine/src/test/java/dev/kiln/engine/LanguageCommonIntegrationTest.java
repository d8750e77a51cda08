package dev.kiln.engine;

import static dev.kiln.engine.RecordingListener.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real {@code @openfn/language-common@3.3.4}, from npm, through the engine and a run process. */
@Tag("integration")
@Timeout(120)
class LanguageCommonIntegrationTest {

  private static JsonNode finalState(String expression, String input) {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = TestPlans.run(TestPlans.oneStep("job", expression, TestPlans.COMMON), input, RunLimits.defaults(), listener);
    assertThat(outcome.failure()).as("events %s", listener.events).isNull();
    return json(outcome.finalState());
  }

  @Test
  void fn() {
    assertThat(finalState("fn(s => ({ ...s, data: { x: s.data.x * 2 } }))", "{\"data\":{\"x\":21}}")
        .at("/data/x").asInt()).isEqualTo(42);
  }

  @Test
  void each() {
    JsonNode state = finalState(
        "fn(s => ({ ...s, total: 0 }));\n"
            + "each('$.data.items[*]', fn(s => ({ ...s, total: s.total + s.data })));",
        "{\"data\":{\"items\":[1,2,3]}}");
    assertThat(state.path("total").asInt()).isEqualTo(6);
  }

  @Test
  void merge() {
    JsonNode state = finalState(
        "fn(s => ({ ...s, data: merge('$.data.items[*]', fields(field('group', 'g1')))(s) }));",
        "{\"data\":{\"items\":[{\"a\":1},{\"a\":2}]}}");
    assertThat(state.path("data").toString()).isEqualTo("[{\"a\":1,\"group\":\"g1\"},{\"a\":2,\"group\":\"g1\"}]");
  }

  @Test
  void dataValue() {
    assertThat(finalState("fn(s => ({ ...s, data: { v: dataValue('a.b')(s) } }));",
        "{\"data\":{\"a\":{\"b\":7}}}").at("/data/v").asInt()).isEqualTo(7);
  }

  @Test
  void cursor() {
    assertThat(finalState("cursor('2024-01-02T03:04:05Z');", null).path("cursor").asText())
        .startsWith("2024-01-02T03:04:05");
  }

  @Test
  void parseCsv() {
    JsonNode state = finalState("parseCsv('name,age\\nAda,36\\nGrace,45');", null);
    assertThat(state.path("data").toString())
        .isEqualTo("[{\"name\":\"Ada\",\"age\":\"36\"},{\"name\":\"Grace\",\"age\":\"45\"}]");
  }

  @Test
  void chunk() {
    assertThat(finalState("fn(s => ({ ...s, data: chunk([1, 2, 3, 4, 5], 2) }));", null)
        .path("data").toString()).isEqualTo("[[1,2],[3,4],[5]]");
  }
}
