package dev.kiln.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API over real HTTP: auth, submission formats and their errors, reading runs. */
@Tag("integration")
class RestApiIntegrationTest {
  @TempDir static Path dir;
  static DevServer server;

  @BeforeAll
  static void start() {
    server = DevServer.start(DevServerConfig.defaults().withDatabase(dir.resolve("dev.db")).withApiToken("t0ken"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  String url(String path) {
    return server.baseUrl() + path;
  }

  @Test
  void everyApiCallNeedsTheToken() throws Exception {
    TestHttp.Response missing = TestHttp.send("GET", url("/api/runs"), null, null);
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.json().get("error").asText()).contains("API token");
    assertThat(TestHttp.send("POST", url("/api/runs"), "wrong", "{}").status()).isEqualTo(401);
    assertThat(TestHttp.send("GET", url("/api/runs?token=t0ken"), null, null).status()).isEqualTo(200);
  }

  @Test
  void aCliWorkflowWithInputAndCredentialsIsQueued() throws Exception {
    TestHttp.Response created = TestHttp.send("POST", url("/api/runs"), "t0ken", """
        {"plan": {"workflow": {"name": "hello", "steps": [
                   {"id": "a", "adaptor": "common", "expression": "fn(s => s)", "configuration": "shared"}]}},
         "input": {"data": {"x": 1}},
         "credentials": {"shared": {"apiKey": "k"}}}
        """);
    assertThat(created.status()).isEqualTo(201);
    String id = created.json().get("id").asText();
    JsonNode run = TestHttp.run(server, id);
    assertThat(run.get("state").asText()).isEqualTo("available");
    assertThat(run.get("workflow_name").asText()).isEqualTo("hello");
    assertThat(run.get("input").get("data").get("x").asInt()).isEqualTo(1);
    assertThat(run.get("plan").get("jobs").get(0).get("credential_id").asText()).isEqualTo("shared");
    assertThat(run.get("steps")).isEmpty();
    assertThat(run.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    JsonNode list = TestHttp.send("GET", url("/api/runs"), "t0ken", null).json();
    assertThat(list.get(0).get("id").asText()).isEqualTo(id);
    assertThat(TestHttp.send("GET", url("/api/runs?state=available"), "t0ken", null).json())
        .extracting(r -> r.get("id").asText()).contains(id);
    assertThat(TestHttp.send("GET", url("/api/runs?state=lost"), "t0ken", null).json()).isEmpty();
  }

  @Test
  void aBareLightningPlanIsAcceptedLikeTheMocksPostRun() throws Exception {
    TestHttp.Response created = TestHttp.send("POST", url("/api/runs"), "t0ken",
        "{\"jobs\": [{\"id\": \"j1\", \"body\": \"fn(s => s)\", \"credential\": {\"user\": \"u\"}}]}");
    assertThat(created.status()).isEqualTo(201);
    JsonNode run = TestHttp.run(server, created.json().get("id").asText());
    assertThat(run.get("input").isNull()).isTrue();
    assertThat(run.get("plan").get("jobs").get(0).has("credential")).isFalse();
  }

  @Test
  void badSubmissionsSayWhatToFix() throws Exception {
    TestHttp.Response notJson = TestHttp.send("POST", url("/api/runs"), "t0ken", "{nope");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().get("error").asText()).startsWith("The request body is not JSON");
    TestHttp.Response noBody = TestHttp.send("POST", url("/api/runs"), "t0ken",
        "{\"plan\": {\"steps\": [{\"id\": \"s1\", \"expression\": \"./job.js\"}]}}");
    assertThat(noBody.status()).isEqualTo(400);
    assertThat(noBody.json().get("error").asText()).contains("Step s1").contains("file path");
    TestHttp.Response unknown = TestHttp.send("GET", url("/api/runs/nope"), "t0ken", null);
    assertThat(unknown.status()).isEqualTo(404);
  }

  @Test
  void theViewerPageIsServed() throws Exception {
    TestHttp.Response page = TestHttp.send("GET", url("/"), null, null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("<title>Kiln dev server").contains("/api/runs");
  }
}
