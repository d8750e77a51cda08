package dev.kiln.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class CredentialPreloaderTest {
  private static JsonNode plan(String json) {
    return RecordingListener.json(json);
  }

  @Test
  void resolvesEachDistinctIdOnce() throws Exception {
    int[] calls = {0};
    ObjectNode credentials = CredentialPreloader.preload(
        plan("{\"steps\":[{\"id\":\"a\",\"configuration\":\"c1\"},{\"id\":\"b\",\"configuration\":\"c1\"},"
            + "{\"id\":\"c\",\"configuration\":{\"inline\":true}}]}"),
        id -> {
          calls[0]++;
          return RecordingListener.json("{\"user\":\"" + id + "\"}");
        });
    assertThat(credentials.toString()).isEqualTo("{\"c1\":{\"user\":\"c1\"}}");
    assertThat(calls[0]).isEqualTo(1);
  }

  @Test
  void failuresAreListedOnePerLine() {
    assertThatThrownBy(() -> CredentialPreloader.preload(
        plan("{\"workflow\":{\"steps\":[{\"configuration\":\"x\"},{\"configuration\":\"y\"}]}}"),
        id -> {
          throw new IllegalStateException("no " + id);
        }))
        .hasMessage("Failed to load credential x: no x\nFailed to load credential y: no y");
  }

  @Test
  void nonObjectCredentialsAreRejected() {
    assertThatThrownBy(() -> CredentialPreloader.preload(
        plan("{\"jobs\":[{\"configuration\":\"x\"}]}"), id -> RecordingListener.json("\"text\"")))
        .hasMessage("Failed to load credential x: the credential is not a JSON object");
  }
}
