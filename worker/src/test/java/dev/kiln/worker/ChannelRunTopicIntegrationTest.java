package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.devserver.DevServer;
import dev.kiln.devserver.DevServerConfig;
import dev.kiln.devserver.SocketFaults;
import dev.kiln.lightning.phoenix.PhoenixChannel;
import dev.kiln.lightning.phoenix.PhoenixSocket;
import dev.kiln.lightning.phoenix.Reply;
import dev.kiln.lightning.phoenix.SocketOptions;
import dev.kiln.lightning.protocol.ClaimReply.ClaimedRun;
import dev.kiln.lightning.protocol.ClaimRequest;
import dev.kiln.lightning.protocol.Events;
import dev.kiln.lightning.protocol.QueueJoin;
import dev.kiln.lightning.token.WorkerToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run channel against a dev server that misbehaves ({@link SocketFaults}): garbage frames,
 * unknown events, replies for refs never sent, replies of odd shapes, a {@code phx_error} and a
 * {@code phx_close} on the run channel mid-run. Every event of the run is still delivered once,
 * and the socket is never dropped.
 */
@Tag("integration")
@Timeout(120)
class ChannelRunTopicIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private DevServer server;
  private PhoenixSocket socket;
  private final AtomicInteger resent = new AtomicInteger();
  private final AtomicInteger disconnects = new AtomicInteger();

  @BeforeEach
  void startServerAndConnect() {
    server = DevServer.start(DevServerConfig.defaults().withDatabase(dir.resolve("dev.db")));
    socket = new PhoenixSocket(URI.create(server.workerEndpoint()), SocketOptions.defaults(
        Map.of("token", WorkerToken.mint(server.workerSecret(), "faults-test", Instant.now()))));
    socket.addConnectionListener(new dev.kiln.lightning.phoenix.ConnectionListener() {
      @Override
      public void connected() { }

      @Override
      public void disconnected(String reason) {
        disconnects.incrementAndGet();
      }
    });
    socket.connect();
  }

  @AfterEach
  void close() {
    socket.close();
    server.close();
  }

  @Test
  void aRunSurvivesGarbageOddRepliesAndAServerErroredAndClosedChannel() throws Exception {
    ClaimedRun claimed = submitAndClaim();
    String topicName = Events.runTopic(claimed.id());
    ChannelRunTopic topic = new ChannelRunTopic(socket, claimed.id(), claimed.token(), WAIT, resent::incrementAndGet);
    assertThat(topic.join().get(20, TimeUnit.SECONDS).isOk()).isTrue();
    JsonNode plan = ok(topic, Events.FETCH_PLAN, object());
    String jobId = plan.path("jobs").get(0).path("id").asText();
    ok(topic, "run:start", object().put("timestamp", "1732838400000001"));

    SocketFaults faults = server.socketFaults();
    assertThat(faults.sendRaw("this is not JSON")).isEqualTo(1);
    faults.sendRaw("[1, 2, 3]");
    faults.sendRaw("{\"event\": \"phx_reply\"}");
    faults.sendOnChannel(topicName, "987654", "phx_reply", JSON.readTree("{\"status\":\"ok\",\"response\":{}}"));
    faults.sendOnChannel(topicName, null, "surprise:event", object().put("x", 1));
    faults.sendOnChannel(Events.WORKER_QUEUE, null, "surprise:event", object());

    String stepId = UUID.randomUUID().toString();
    faults.sendOnChannel(topicName, null, "phx_close", object());
    ok(topic, "step:start", object().put("step_id", stepId).put("job_id", jobId).put("timestamp", "1732838400000002"));

    faults.replaceReplies("run:log", List.of(TextNode.valueOf("surprise"), JSON.readTree("[1, 2]"),
        JSON.readTree("{\"response\": {\"no\": \"status\"}}")));
    for (int i = 0; i < 3; i++) {
      ObjectNode log = object().put("run_id", claimed.id()).put("step_id", stepId).put("source", "JOB")
          .put("level", "info").put("timestamp", Long.toString(1732838400000010L + i));
      log.putArray("message").add("line " + i);
      assertThat(topic.push("run:log", log).get(20, TimeUnit.SECONDS).isOk()).isTrue();
    }

    faults.sendOnChannel(topicName, null, "phx_error", object());
    ok(topic, "step:complete", object().put("step_id", stepId).put("job_id", jobId).put("reason", "success")
        .put("output_dataclip_id", UUID.randomUUID().toString()).put("output_dataclip", "{}")
        .put("timestamp", "1732838400000020"));
    ok(topic, "run:complete", object().put("reason", "success").put("timestamp", "1732838400000030"));

    JsonNode run = JSON.readTree(get("/api/runs/" + claimed.id()));
    assertThat(run.path("state").asText()).isEqualTo("success");
    assertThat(run.toString()).contains("line 0", "line 1", "line 2");
    assertThat(resent.get()).as("pushes sent again after the close and the error").isPositive();
    assertThat(disconnects.get()).as("the socket was never dropped").isZero();
    assertThat(socket.isConnected()).isTrue();
    topic.leave();
  }

  private ClaimedRun submitAndClaim() throws Exception {
    ObjectNode body = object();
    body.putObject("plan").putObject("workflow").putArray("steps").addObject().put("id", "only")
        .put("expression", "export default [s => s];");
    HttpResponse<String> submitted = HttpClient.newHttpClient().send(api("/api/runs")
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
    PhoenixChannel queue = socket.channel(Events.WORKER_QUEUE, new QueueJoin(1, Map.of("*", 1)));
    assertThat(queue.join(WAIT).get(20, TimeUnit.SECONDS).isOk()).isTrue();
    Reply reply = queue.push(Events.CLAIM, new ClaimRequest(1, "faults-test", List.of("*")), WAIT)
        .get(20, TimeUnit.SECONDS);
    List<ClaimedRun> runs = WorkerService.claimedRuns(reply.response());
    assertThat(runs).hasSize(1);
    return runs.get(0);
  }

  private static JsonNode ok(ChannelRunTopic topic, String event, ObjectNode payload) throws Exception {
    Reply reply = topic.push(event, payload).get(20, TimeUnit.SECONDS);
    assertThat(reply.isOk()).as(event + ": " + reply).isTrue();
    return reply.response();
  }

  private String get(String path) throws Exception {
    return HttpClient.newHttpClient().send(api(path).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private HttpRequest.Builder api(String path) {
    return HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .header("Authorization", "Bearer " + server.apiToken());
  }

  private static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }
}
