package dev.kiln.devserver;

import static dev.kiln.devserver.PhoenixTestClient.response;
import static dev.kiln.devserver.PhoenixTestClient.status;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.lightning.phoenix.Frame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker socket in mock-quirks mode behaves like OpenFn's lightning-mock (spec §8.4). */
@Tag("integration")
class MockQuirksIntegrationTest {
  @TempDir Path dir;
  DevServer server;

  @BeforeEach
  void start() {
    server = DevServer.start(DevServerConfig.defaults().withDatabase(dir.resolve("dev.db")).withMockQuirks(true)
        .withWorkAvailableDebounce(Duration.ofMillis(10)));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void socketQuirks() throws Exception {
    // Any token is accepted (the mock never verifies it) ...
    try (PhoenixTestClient worker = PhoenixTestClient.connect(server.workerEndpoint() + "/websocket?token=anything&vsn=2.0.0")) {
      // ... heartbeats are never answered; the reply to the next push proves the heartbeat was read.
      String heartbeat = worker.push(null, "phoenix", "heartbeat", Json.object());
      Frame joined = worker.join("worker:queue", Json.object());
      assertThat(joined.event()).isEqualTo("chan_reply_" + worker.lastJoinRef);
      assertThat(status(joined)).isEqualTo("ok");
      assertThat(response(joined).asText()).isEqualTo("ok");
      assertThat(worker.receivesWithin(f -> heartbeat.equals(f.ref()), Duration.ZERO)).isFalse();

      String first = TestHttp.submit(server, WorkerSocketIntegrationTest.PLAN, "{\"data\":{\"n\":7}}");
      String second = TestHttp.submit(server, WorkerSocketIntegrationTest.PLAN, null);
      Frame available = worker.await(f -> f.event().equals("work-available"), "work-available");
      assertThat(available.payload().isTextual()).isTrue();
      assertThat(available.payload().asText()).isEqualTo("{}");
      assertThat(available.ref()).isEmpty();
      assertThat(available.joinRef()).isNull();

      JsonNode runs = response(worker.call("worker:queue", "claim", Json.parse("{\"demand\":5}"))).get("runs");
      assertThat(runs).hasSize(1);
      assertThat(runs.get(0).get("id").asText()).isEqualTo(first);
      String topic = "run:" + first;
      assertThat(response(worker.join(topic, Json.object().put("token", ""))).asText()).isEqualTo("invalid_token");
      assertThat(response(worker.join("run:nope", Json.object().put("token", "t"))).asText())
          .isEqualTo("invalid_run_id");
      assertThat(response(worker.join(topic, Json.object().put("token", runs.get(0).get("token").asText())))
          .asText()).isEqualTo("ok");

      JsonNode plan = response(worker.call(topic, "fetch:plan", Json.object()));
      Frame clip = worker.call(topic, "fetch:dataclip", Json.object().put("id", plan.get("dataclip_id").asText()));
      assertThat(clip.isBinary()).isFalse();
      JsonNode bytes = response(clip);
      assertThat(bytes.isArray()).isTrue();
      byte[] raw = new byte[bytes.size()];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = (byte) bytes.get(i).asInt();
      }
      assertThat(Json.parse(new String(raw, StandardCharsets.UTF_8)).get("data").get("n").asInt()).isEqualTo(7);
      assertThat(response(worker.call(topic, "fetch:dataclip", Json.object().put("id", "zz"))).asText())
          .isEqualTo("not_found");

      // %TIMEOUT% is never answered: the next reply arrives, that one never does.
      String timeoutRef = worker.push(worker.lastJoinRef, topic, "fetch:credential",
          Json.object().put("id", "%TIMEOUT%"));
      assertThat(status(worker.call(topic, "run:start", Json.object()))).isEqualTo("ok");
      assertThat(worker.receivesWithin(f -> timeoutRef.equals(f.ref()), Duration.ZERO)).isFalse();

      String step = UUID.randomUUID().toString();
      assertThat(status(worker.call(topic, "step:start", WorkerSocketIntegrationTest.stepStart(step, "a", null))))
          .isEqualTo("ok");
      ObjectNode noLevel = WorkerSocketIntegrationTest.log(step, "x");
      noLevel.remove("level");
      assertThat(status(worker.call(topic, "run:log", noLevel))).isEqualTo("error");
      ObjectNode withoutClip = WorkerSocketIntegrationTest.stepComplete(step, "a");
      withoutClip.remove("output_dataclip");
      withoutClip.put("output_dataclip_id", UUID.randomUUID().toString());
      assertThat(status(worker.call(topic, "step:complete", withoutClip))).isEqualTo("error");

      assertThat(response(worker.call(topic, "run:complete", Json.object().put("reason", "success")
          .put("extra", 1))).asText()).startsWith("Unexpected keys: extra");
      assertThat(status(worker.call(topic, "run:complete", Json.object().put("reason", "lost")))).isEqualTo("error");
      assertThat(status(worker.call(topic, "run:complete", Json.object().put("reason", "success")
          .put("error_type", "X")))).isEqualTo("error");
      assertThat(status(worker.call(topic, "run:complete", Json.object().put("reason", "success")))).isEqualTo("ok");
      assertThat(response(worker.call(topic, "run:log", WorkerSocketIntegrationTest.log(null, "late"))).asText())
          .isEqualTo("There are no listeners on channel " + topic);

      assertThat(TestHttp.run(server, first).get("state").asText()).isEqualTo("success");
      assertThat(TestHttp.run(server, second).get("state").asText()).isEqualTo("available");
    }
  }

  @Test
  void aSocketWithoutTokenIsClosed() throws Exception {
    try (PhoenixTestClient worker = PhoenixTestClient.connect(server.workerEndpoint() + "/websocket?vsn=2.0.0")) {
      assertThat(worker.closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1008);
    }
  }
}
