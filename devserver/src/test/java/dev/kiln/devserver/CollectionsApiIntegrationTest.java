package dev.kiln.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lightning's collections API (adaptors-collections §4.3) over real HTTP with a run token. */
@Tag("integration")
class CollectionsApiIntegrationTest {
  @TempDir static Path dir;
  static DevServer server;
  static String runToken;

  @BeforeAll
  static void start() throws Exception {
    server = DevServer.start(DevServerConfig.defaults().withDatabase(dir.resolve("dev.db")));
    String runId = TestHttp.submit(server, "{\"jobs\": [{\"id\": \"a\", \"body\": \"x\"}]}", null);
    try (PhoenixTestClient worker = LostRunsIntegrationTest.worker(server)) {
      runToken = LostRunsIntegrationTest.claimAndJoin(worker, runId);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static TestHttp.Response call(String method, String path, String body, String... headers) throws Exception {
    return TestHttp.send(method, server.collectionsUrl() + path, runToken, body, headers);
  }

  static String items(String... keyValues) {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      items.add("{\"key\":\"" + keyValues[i] + "\",\"value\":" + Json.write(keyValues[i + 1]) + "}");
    }
    return "{\"items\":[" + String.join(",", items) + "]}";
  }

  @Test
  void authIsABearerRunTokenOrTheApiToken() throws Exception {
    server.createCollection("auth");
    assertThat(TestHttp.send("GET", server.collectionsUrl() + "/auth", null, null).status()).isEqualTo(401);
    TestHttp.Response bad = TestHttp.send("GET", server.collectionsUrl() + "/auth", "x.y.z", null);
    assertThat(bad.status()).isEqualTo(401);
    assertThat(bad.body()).isEqualTo("{\"error\":\"Unauthorized\"}");
    assertThat(TestHttp.send("GET", server.collectionsUrl() + "/auth", server.apiToken(), null).status())
        .isEqualTo(200);
    assertThat(call("GET", "/auth", null).status()).isEqualTo(200);
  }

  @Test
  void singleItemsPutGetAndDelete() throws Exception {
    server.createCollection("single");
    assertThat(call("GET", "/missing/k", null).json().get("error").asText()).isEqualTo("Not Found");
    assertThat(call("GET", "/single/k", null).status()).isEqualTo(204);
    assertThat(call("PUT", "/single/k", "{\"value\": \"{\\\"a\\\":1}\"}").body())
        .isEqualTo("{\"upserted\":1,\"error\":null}");
    assertThat(call("PUT", "/single/k", "{}").status()).isEqualTo(422);
    assertThat(call("PUT", "/single/k", "{\"value\": 5}").body()).isEqualTo("{\"upserted\":0,\"error\":\"Format error\"}");
    JsonNode item = call("GET", "/single/k", null).json();
    assertThat(item.get("key").asText()).isEqualTo("k");
    assertThat(item.get("value").asText()).isEqualTo("{\"a\":1}");
    assertThat(item.get("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    assertThat(call("DELETE", "/single/k", null).body()).isEqualTo("{\"key\":\"k\",\"deleted\":1,\"error\":null}");
    assertThat(call("DELETE", "/single/k", null).body())
        .isEqualTo("{\"key\":\"k\",\"deleted\":0,\"error\":\"Item Not Found\"}");
    assertThat(call("PATCH", "/single/k", "{}").status()).isIn(404, 405);
  }

  @Test
  void batchesPatternsAndPaging() throws Exception {
    server.createCollection("many");
    assertThat(call("POST", "/many", "{}").json().get("error").asText()).isEqualTo("Missing required field: items");
    TestHttp.Response duplicate = call("POST", "/many", items("a", "1", "a", "2"));
    assertThat(duplicate.status()).isEqualTo(422);
    assertThat(duplicate.json().get("error").asText()).isEqualTo("Duplicate key found");
    assertThat(call("POST", "/many", items("2024-01", "1", "2024-02", "2", "2025-01", "3", "2024_x", "4",
        "2024a01", "5", "A2024-9", "6")).body()).isEqualTo("{\"upserted\":6,\"error\":null}");

    assertThat(keys(call("GET", "/many?key=2024*", null).json()))
        .containsExactly("2024-01", "2024-02", "2024_x", "2024a01");
    // '_' is not escaped, as in Lightning: it matches any one character.
    assertThat(keys(call("GET", "/many?key=2024_01", null).json())).containsExactly("2024-01", "2024a01");
    assertThat(keys(call("GET", "/many?key=a2024*", null).json())).as("case sensitive").isEmpty();

    JsonNode first = call("GET", "/many?limit=4", null).json();
    assertThat(keys(first)).containsExactly("2024-01", "2024-02", "2025-01", "2024_x");
    String cursor = first.get("cursor").asText();
    JsonNode second = call("GET", "/many?limit=4&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8), null)
        .json();
    assertThat(keys(second)).containsExactly("2024a01", "A2024-9");
    assertThat(second.get("cursor").isNull()).isTrue();

    assertThat(call("GET", "/many?limit=x", null).status()).isEqualTo(400);
    assertThat(call("GET", "/many?cursor=%25%25", null).status()).isEqualTo(400);
    assertThat(call("GET", "/many?bogus=1", null).body()).isEqualTo("{\"error\":\"Bad Request\"}");
    assertThat(call("GET", "/many?created_after=2024-09-30", null).status()).isEqualTo(400);
    assertThat(keys(call("GET", "/many?created_after=2000-01-01T00:00:00Z&key=2025*", null).json()))
        .containsExactly("2025-01");
    assertThat(keys(call("GET", "/many?created_before=2000-01-01T00:00:00%2B00:00", null).json())).isEmpty();

    assertThat(call("DELETE", "/many?key=2024*", null).body())
        .isEqualTo("{\"key\":\"2024*\",\"deleted\":4,\"error\":null}");
    assertThat(call("DELETE", "/many", null).body()).isEqualTo("{\"key\":null,\"deleted\":2,\"error\":null}");
  }

  @Test
  void projectScopingByQueryOrApiVersionTwo() throws Exception {
    server.createCollection("scoped");
    call("PUT", "/scoped/k", "{\"value\": \"v\"}");
    assertThat(call("GET", "/scoped/k?project_id=" + server.projectId(), null).status()).isEqualTo(200);
    assertThat(call("GET", "/scoped/k?project_id=other", null).status()).isEqualTo(404);
    assertThat(call("GET", "/" + server.projectId() + "/scoped/k", null, "x-api-version", "2").json()
        .get("value").asText()).isEqualTo("v");
    assertThat(call("GET", "/other/scoped/k", null, "x-api-version", "2").status()).isEqualTo(404);
    assertThat(keys(call("GET", "/" + server.projectId() + "/scoped", null, "x-api-version", "2").json()))
        .containsExactly("k");
    assertThat(call("GET", "/scoped", null, "x-api-version", "3").json().get("error").asText())
        .startsWith("Unsupported API version");
  }

  static List<String> keys(JsonNode page) {
    List<String> keys = new ArrayList<>();
    page.get("items").forEach(item -> keys.add(item.get("key").asText()));
    return keys;
  }
}
