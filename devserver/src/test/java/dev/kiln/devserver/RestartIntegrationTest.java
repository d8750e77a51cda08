package dev.kiln.devserver;

import static dev.kiln.devserver.PhoenixTestClient.response;
import static dev.kiln.devserver.PhoenixTestClient.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing and reopening a server on the same SQLite file (and port) keeps runs, keys, secrets and
 * collections: a worker reconnects to the same address and finishes its run.
 */
@Tag("integration")
class RestartIntegrationTest {
  @TempDir Path dir;

  @Test
  void aClaimedRunCompletesAfterTheServerRestarts() throws Exception {
    DevServerConfig config = DevServerConfig.defaults().withDatabase(dir.resolve("dev.db"));
    String runId;
    String token;
    String apiToken;
    String secret;
    String publicKey;
    int port;
    String endpoint;
    try (DevServer first = DevServer.start(config); PhoenixTestClient worker = LostRunsIntegrationTest.worker(first)) {
      runId = TestHttp.submit(first, WorkerSocketIntegrationTest.PLAN, "{\"data\":{\"kept\":true}}");
      token = LostRunsIntegrationTest.claimAndJoin(worker, runId);
      assertThat(status(worker.call("run:" + runId, "run:start", Json.object()))).isEqualTo("ok");
      first.createCollection("kept");
      apiToken = first.apiToken();
      secret = first.workerSecret();
      publicKey = first.runPublicKeyBase64();
      port = first.port();
      endpoint = first.workerEndpoint();
    }
    try (DevServer second = DevServer.start(config.withPort(port));
         PhoenixTestClient worker = LostRunsIntegrationTest.worker(second)) {
      assertThat(second.workerEndpoint()).isEqualTo(endpoint);
      assertThat(second.apiToken()).isEqualTo(apiToken);
      assertThat(second.workerSecret()).isEqualTo(secret);
      assertThat(second.runPublicKeyBase64()).isEqualTo(publicKey);
      assertThat(TestHttp.run(second, runId).get("state").asText()).isEqualTo("started");
      String topic = "run:" + runId;
      assertThat(status(worker.join(topic, Json.object().put("token", token)))).isEqualTo("ok");
      assertThat(status(worker.call(topic, "run:complete", Json.object().put("reason", "success")))).isEqualTo("ok");
      assertThat(TestHttp.run(second, runId).get("state").asText()).isEqualTo("success");
      assertThat(TestHttp.run(second, runId).get("input").get("data").get("kept").asBoolean()).isTrue();
      assertThat(TestHttp.send("GET", second.collectionsUrl() + "/kept", token, null).status()).isEqualTo(200);
      assertThat(response(worker.call("worker:queue", "claim", Json.parse("{\"demand\":1,\"worker_name\":null}")))
          .get("runs")).isEmpty();
    }
  }
}
