package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.devserver.DevServer;
import dev.kiln.devserver.DevServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 acceptance: a job logs its credentials in five ways (plain, inside an object, in an
 * error message, base64 of user:password, concatenated); the run goes through the dev server and
 * a worker with locked-down run processes, and no secret value reaches what the dev server stored
 * (logs, step results, dataclips), while {@code configuration} never reaches a dataclip.
 */
@Tag("integration")
@Timeout(180)
class SecretsEndToEndIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USER = "e2e-admin-user";
  private static final String PASSWORD = "e2e-Pa55w0rd!";
  private static final String API_KEY = "e2e-api-key-7f3a";
  private static final String JOB = """
      export default [s => {
        const c = s.configuration;
        console.log(c.password);
        console.log({ nested: { pw: c.password, key: c.apiKey } });
        console.log('Authorization: Basic ' + Buffer.from(c.username + ':' + c.password).toString('base64'));
        console.log('url?user=' + c.username + '&key=' + c.apiKey + '&pw=' + c.password);
        s.data.done = true;
        return s;
      }, s => { throw new Error('login failed for ' + s.configuration.username + ' with ' + s.configuration.password); }]
      """;

  @TempDir Path dir;

  @Test
  void noSecretReachesTheDevServersStore() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    try (DevServer server = DevServer.start(DevServerConfig.defaults().withDatabase(dir.resolve("dev.db"))
        .withWorkAvailableDebounce(Duration.ofMillis(20)))) {
      WorkerConfig config = new WorkerConfig(0, server.workerEndpoint(), server.workerSecret(),
          server.runPublicKeyBase64(), Workloop.parseAll("manual>*:1"), 50, 500, true, 30, 10, 500, 10, 10, 120,
          List.of("configuration"), false, 0, 0, server.collectionsUrl(), "latest", dir.resolve("repo"), null,
          "secrets-e2e", dir.resolve("data"));
      WorkerService worker = WorkerService.start(config);
      try {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode step = body.putObject("plan").putObject("workflow").putArray("steps").addObject();
        step.put("id", "leaky").put("expression", JOB);
        step.putObject("configuration").put("username", USER).put("password", PASSWORD).put("apiKey", API_KEY);
        HttpResponse<String> submitted = http.send(api(server, "/api/runs")
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
        String runId = JSON.readTree(submitted.body()).path("id").asText();

        // the event stream ends after run:complete
        String events = http.send(api(server, "/api/runs/" + runId + "/events").header("Accept", "text/event-stream")
            .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(events).contains("run:complete");
        String stored = http.send(api(server, "/api/runs/" + runId).build(), HttpResponse.BodyHandlers.ofString()).body();
        JsonNode run = JSON.readTree(stored);

        assertThat(stored).contains("****").contains("login failed for ****");
        String basic = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        for (String text : List.of(stored, events)) {
          assertThat(text).doesNotContain(PASSWORD).doesNotContain(API_KEY).doesNotContain(USER)
              .doesNotContain(basic.replace("=", ""));
        }
        assertThat(stored).doesNotContain("\"configuration\"");
        assertThat(run.toString()).contains("done");
      } finally {
        worker.drain();
      }
    }
  }

  private static HttpRequest.Builder api(DevServer server, String path) {
    return HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .header("Authorization", "Bearer " + server.apiToken());
  }
}
