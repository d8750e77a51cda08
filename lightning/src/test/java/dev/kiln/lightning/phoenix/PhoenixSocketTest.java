package dev.kiln.lightning.phoenix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.lightning.protocol.ClaimRequest;
import dev.kiln.lightning.protocol.QueueJoin;
import dev.kiln.lightning.protocol.StreamedJson;
import io.javalin.websocket.WsContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real WebSocket server on loopback. */
@Tag("integration")
class PhoenixSocketTest {
  private static final Duration LONG = Duration.ofSeconds(30);

  @TempDir Path dir;
  private PhoenixPeer peer;
  private PhoenixSocket socket;
  private final BlockingQueue<String> connectionEvents = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() {
    peer = new PhoenixPeer();
  }

  @AfterEach
  void stop() {
    if (socket != null) {
      socket.close();
    }
    peer.close();
  }

  private PhoenixSocket connect(SocketOptions options) {
    return connect(peer.endpoint(), options);
  }

  private PhoenixSocket connect(URI endpoint, SocketOptions options) {
    socket = new PhoenixSocket(endpoint, options);
    socket.addConnectionListener(new ConnectionListener() {
      @Override
      public void connected() {
        connectionEvents.add("connected");
      }

      @Override
      public void disconnected(String reason) {
        connectionEvents.add("disconnected: " + reason);
      }
    });
    socket.connect();
    return socket;
  }

  private static SocketOptions fast() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("token", "t.o.k");
    params.put("api_version", "1.2");
    params.put("worker_version", "1.25.0");
    return SocketOptions.defaults(params)
        .withReconnectDelay(tries -> Duration.ofMillis(20))
        .withRejoinDelay(tries -> Duration.ofMillis(20));
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  private String nextConnectionEvent() throws InterruptedException {
    String event = connectionEvents.poll(10, TimeUnit.SECONDS);
    assertThat(event).as("a connection event within 10 s").isNotNull();
    return event;
  }

  /** Joins {@code topic} and answers the join ok; returns the join frame. */
  private PhoenixPeer.Received joinOk(PhoenixChannel channel) throws Exception {
    CompletableFuture<Reply> joined = channel.join(LONG);
    PhoenixPeer.Received join = peer.nextEvent(channel.topic(), "phx_join");
    PhoenixPeer.reply(join, "ok", Map.of());
    assertThat(await(joined).isOk()).isTrue();
    return join;
  }

  @Test
  void connectsWithTheQueryParamsJoinsAndGetsRepliesInBothStyles() throws Exception {
    connect(fast());
    assertThat(nextConnectionEvent()).isEqualTo("connected");
    Map<String, List<String>> query = peer.queries.take();
    assertThat(query.get("token")).containsExactly("t.o.k");
    assertThat(query.get("api_version")).containsExactly("1.2");
    assertThat(query.get("worker_version")).containsExactly("1.25.0");
    assertThat(query.get("vsn")).containsExactly("2.0.0");

    PhoenixChannel queue = socket.channel("worker:queue", new QueueJoin(5, Map.of("manual>*", 5)));
    PhoenixPeer.Received join = joinOk(queue);
    assertThat(join.frame().joinRef()).isEqualTo(join.frame().ref());
    assertThat(join.frame().payload().toString()).isEqualTo("{\"capacity\":5,\"queues\":{\"manual>*\":5}}");
    assertThat(queue.state()).isEqualTo(ChannelState.JOINED);

    CompletableFuture<Reply> claim = queue.push("claim", new ClaimRequest(1, null, List.of("manual", "*")), LONG);
    PhoenixPeer.Received push = peer.nextEvent("worker:queue", "claim");
    assertThat(push.frame().joinRef()).isEqualTo(join.frame().ref());
    assertThat(Long.parseLong(push.frame().ref())).isGreaterThan(Long.parseLong(join.frame().ref()));
    PhoenixPeer.mockReply(push, "ok", Map.of("runs", List.of(Map.of("id", "r1", "token", "x.y.z"))));
    Reply claimed = await(claim);
    assertThat(claimed.isOk()).isTrue();
    assertThat(claimed.response().path("runs").get(0).path("id").asText()).isEqualTo("r1");

    CompletableFuture<Reply> second = queue.push("claim", new ClaimRequest(1, null, List.of("*")), LONG);
    PhoenixPeer.reply(peer.nextEvent("worker:queue", "claim"), "error", Map.of("errors", Map.of("x", List.of("bad"))));
    assertThat(await(second).status()).isEqualTo(Reply.Status.ERROR);
  }

  @Test
  void binaryRepliesCarryTheDataclipBytes() throws Exception {
    connect(fast());
    PhoenixChannel run = socket.channel("run:r1", Map.of("token", "jwt"));
    joinOk(run);
    CompletableFuture<Reply> fetched = run.push("fetch:dataclip", Map.of("id", "d1"), LONG);
    String dataclip = "{\"data\":{\"big\":\"" + "x".repeat(200_000) + "\"}}";
    PhoenixPeer.binaryReply(peer.nextEvent("run:r1", "fetch:dataclip"), dataclip.getBytes(StandardCharsets.UTF_8));
    Reply reply = await(fetched);
    assertThat(reply.isOk()).isTrue();
    assertThat(reply.responseText()).isEqualTo(dataclip);
  }

  /** Connects with large replies going to {@code spill} and joins {@code run:r1}. */
  private PhoenixChannel joinedRunChannel(Path spill) throws Exception {
    connect(fast().withSpillDir(spill));
    PhoenixChannel run = socket.channel("run:r1", Map.of("token", "jwt"));
    joinOk(run);
    return run;
  }

  @Test
  void largeBinaryRepliesAreWrittenToAFileAsTheyArrive() throws Exception {
    Path spill = dir.resolve("incoming");
    PhoenixChannel run = joinedRunChannel(spill);
    byte[] dataclip = ("{\"data\":{\"big\":\"" + "é😀".repeat(300_000) + "\"}}").getBytes(StandardCharsets.UTF_8);
    CompletableFuture<Reply> fetched = run.push("fetch:dataclip", Map.of("id", "d1"), LONG);
    PhoenixPeer.binaryReply(peer.nextEvent("run:r1", "fetch:dataclip"), dataclip);
    Reply reply = await(fetched);
    assertThat(reply.isOk()).isTrue();
    assertThat(reply.body()).isNull();
    assertThat(reply.bodyFile()).hasParent(spill).hasBinaryContent(dataclip);

    CompletableFuture<Reply> small = run.push("fetch:dataclip", Map.of("id", "d2"), LONG);
    PhoenixPeer.binaryReply(peer.nextEvent("run:r1", "fetch:dataclip"), "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(await(small).bodyFile()).isNull();
    assertThat(await(small).responseText()).isEqualTo("{}");
  }

  @Test
  void aLargeReplyNobodyWaitsForAnyMoreLeavesNoFile() throws Exception {
    Path spill = dir.resolve("incoming");
    PhoenixChannel run = joinedRunChannel(spill);
    CompletableFuture<Reply> fetched = run.push("fetch:dataclip", Map.of("id", "d1"), Duration.ofMillis(200));
    PhoenixPeer.Received request = peer.nextEvent("run:r1", "fetch:dataclip");
    assertThat(await(fetched).status()).isEqualTo(Reply.Status.TIMEOUT);
    PhoenixPeer.binaryReply(request, new byte[SocketOptions.SPILL_THRESHOLD_BYTES * 2]);
    // a reply after it: the late one was handled (and its file removed) before this one arrives
    CompletableFuture<Reply> next = run.push("fetch:dataclip", Map.of("id", "d2"), LONG);
    PhoenixPeer.binaryReply(peer.nextEvent("run:r1", "fetch:dataclip"), "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(await(next).isOk()).isTrue();
    try (var left = Files.list(spill)) {
      assertThat(left).isEmpty();
    }
  }

  /** Text or binary, a message over the limit ends the connection, even half written to a file. */
  @Test
  void aMessageOverTheLimitDropsTheConnectionAndLeavesNoFile() throws Exception {
    Path spill = dir.resolve("incoming");
    connect(fast().withSpillDir(spill).withLimits(100, 600_000, 64 << 20));
    assertThat(nextConnectionEvent()).isEqualTo("connected");
    for (boolean binary : new boolean[] {true, false}) {
      String topic = binary ? "run:binary" : "run:text";
      PhoenixChannel run = socket.channel(topic, Map.of("token", "jwt"));
      joinOk(run);
      run.push("fetch:dataclip", Map.of("id", "d1"), LONG);
      PhoenixPeer.Received request = peer.nextEvent(topic, "fetch:dataclip");
      if (binary) {
        PhoenixPeer.binaryReply(request, new byte[1 << 20]);
      } else {
        PhoenixPeer.reply(request, "ok", "x".repeat(1 << 20));
      }
      assertThat(nextConnectionEvent()).as(binary ? "binary" : "text")
          .isEqualTo("disconnected: a message exceeded 600000 bytes");
      assertThat(nextConnectionEvent()).isEqualTo("connected");
      try (var left = Files.list(spill)) {
        assertThat(left).as("the part written to a file is deleted").isEmpty();
      }
    }
  }

  /**
   * lightning-mock's dataclip replies are text: its UTF-8 bytes as numbers, or JSON in a string. A
   * large one goes to a file as it arrives, its dataclip to another; other large replies are trees.
   */
  @Test
  void largeTextRepliesAreWrittenToAFileAsTheyArrive() throws Exception {
    Path spill = dir.resolve("incoming");
    PhoenixChannel run = joinedRunChannel(spill);
    String dataclip = "{\"data\":{\"big\":\"" + "é😀\\n".repeat(100_000) + "\"}}";
    List<Integer> bytes = new java.util.ArrayList<>();
    for (byte b : dataclip.getBytes(StandardCharsets.UTF_8)) {
      bytes.add(b & 0xff);
    }
    CompletableFuture<Reply> asBytes = run.push("fetch:dataclip", Map.of("id", "d1"), LONG);
    PhoenixPeer.mockReply(peer.nextEvent("run:r1", "fetch:dataclip"), "ok", bytes);
    Reply bytesReply = await(asBytes);
    assertThat(bytesReply.isOk()).isTrue();
    assertThat(bytesReply.bodyFile()).hasParent(spill).hasContent(dataclip);

    CompletableFuture<Reply> asString = run.push("fetch:dataclip", Map.of("id", "d1"), LONG);
    PhoenixPeer.reply(peer.nextEvent("run:r1", "fetch:dataclip"), "ok", dataclip);
    assertThat(await(asString).bodyFile()).hasContent(dataclip);

    Map<String, Object> plan = Map.of("jobs", List.of(Map.of("body", "x".repeat(400_000))), "n", List.of(1, 2, 300));
    CompletableFuture<Reply> asObject = run.push("fetch:plan", Map.of(), LONG);
    PhoenixPeer.reply(peer.nextEvent("run:r1", "fetch:plan"), "ok", plan);
    Reply planReply = await(asObject);
    assertThat(planReply.bodyFile()).isNull();
    assertThat(planReply.response().path("jobs").get(0).path("body").asText()).hasSize(400_000);
    assertThat(planReply.response().path("n").toString()).isEqualTo("[1,2,300]");

    try (var left = Files.list(spill)) {
      assertThat(left).as("only the two dataclips are left").containsExactlyInAnyOrder(bytesReply.bodyFile(),
          await(asString).bodyFile());
    }
  }

  /** A payload with a state in a file goes out as partial frames; the next push waits its turn. */
  @Test
  void largePayloadsAreStreamedIntoTheSocketInOrder() throws Exception {
    connect(fast());
    PhoenixChannel run = socket.channel("run:r1", Map.of("token", "jwt"));
    joinOk(run);
    String state = "{\"data\":\"" + "line\n\"é😀\u0001".repeat(400_000) + "\"}";
    Path file = dir.resolve("state.json");
    Files.writeString(file, state, StandardCharsets.UTF_8);
    ObjectNode payload = JsonNodeFactory.instance.objectNode().put("step_id", "s1");
    payload.putPOJO("output_dataclip", StreamedJson.string(file, Files.size(file)));

    CompletableFuture<Reply> big = run.push("step:complete", payload, LONG);
    CompletableFuture<Reply> next = run.push("run:log", Map.of("message", List.of("after")), LONG);
    PhoenixPeer.Received received = peer.next(f -> f.topic().equals("run:r1") && !f.event().equals("phx_join"));
    assertThat(received.frame().event()).isEqualTo("step:complete");
    assertThat(received.frame().payload().path("output_dataclip").asText()).isEqualTo(state);
    PhoenixPeer.reply(received, "ok", null);
    assertThat(await(big).isOk()).isTrue();
    PhoenixPeer.Received log = peer.nextEvent("run:r1", "run:log");
    PhoenixPeer.reply(log, "ok", null);
    assertThat(await(next).isOk()).isTrue();
    assertThat(connectionEvents).containsExactly("connected");
  }

  @Test
  void aStreamedPayloadOverTheServersLimitIsRefusedFromItsCount() throws Exception {
    connect(fast().withLimits(10_000, 64 * 1024 * 1024, 1_000_000));
    PhoenixChannel run = socket.channel("run:r1", Map.of("token", "jwt"));
    joinOk(run);
    Path file = dir.resolve("state.json");
    Files.writeString(file, "\n".repeat(600_000)); // 600 KB that escape to 1.2 MB
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.putPOJO("output_dataclip", StreamedJson.string(file, Files.size(file)));
    Reply refused = await(run.push("step:complete", payload, LONG));
    assertThat(refused.status()).isEqualTo(Reply.Status.ERROR);
    assertThat(refused.response().asText()).contains("over the server's limit of 1000000 bytes");
  }

  @Test
  void serverPushesReachHandlersAndStaleJoinRefsAreDropped() throws Exception {
    connect(fast());
    BlockingQueue<JsonNode> pushes = new LinkedBlockingQueue<>();
    PhoenixChannel queue = socket.channel("worker:queue", Map.of()).on("work-available", pushes::add);
    PhoenixPeer.Received join = joinOk(queue);
    WsContext connection = join.connection();
    connection.send("[\"999\",null,\"worker:queue\",\"work-available\",{\"stale\":true}]");
    connection.send("[null,\"\",\"worker:queue\",\"work-available\",\"{}\"]"); // lightning-mock
    connection.send("[\"" + join.frame().ref() + "\",null,\"worker:queue\",\"work-available\",{\"n\":2}]"); // Phoenix
    assertThat(pushes.poll(10, TimeUnit.SECONDS).toString()).isEqualTo("{}");
    assertThat(pushes.poll(10, TimeUnit.SECONDS).toString()).isEqualTo("{\"n\":2}");
  }

  @Test
  void reconnectsAndRejoinsAfterTheServerDropsTheSocket() throws Exception {
    connect(fast());
    assertThat(nextConnectionEvent()).isEqualTo("connected");
    BlockingQueue<Reply> joins = new LinkedBlockingQueue<>();
    PhoenixChannel run = socket.channel("run:r1", Map.of("token", "jwt")).onJoin(joins::add);
    PhoenixPeer.Received firstJoin = joinOk(run);
    assertThat(joins.poll(10, TimeUnit.SECONDS)).isNotNull();

    CompletableFuture<Reply> inFlight = run.push("step:complete", Map.of("step_id", "s1"), LONG);
    PhoenixPeer.Received unanswered = peer.nextEvent("run:r1", "step:complete");
    unanswered.connection().session.disconnect(); // abrupt, no close frame

    assertThat(await(inFlight).status()).isEqualTo(Reply.Status.DISCONNECTED);
    assertThat(nextConnectionEvent()).startsWith("disconnected");
    CompletableFuture<Reply> buffered = run.push("run:complete", Map.of("reason", "success"), LONG);

    assertThat(nextConnectionEvent()).isEqualTo("connected");
    PhoenixPeer.Received rejoin = peer.nextEvent("run:r1", "phx_join");
    assertThat(rejoin.frame().payload().toString()).isEqualTo("{\"token\":\"jwt\"}");
    assertThat(rejoin.frame().joinRef()).isNotEqualTo(firstJoin.frame().joinRef());
    PhoenixPeer.reply(rejoin, "ok", Map.of());
    assertThat(joins.poll(10, TimeUnit.SECONDS)).as("onJoin after the rejoin").isNotNull();

    PhoenixPeer.Received resent = peer.nextEvent("run:r1", "run:complete");
    assertThat(resent.frame().joinRef()).isEqualTo(rejoin.frame().ref());
    PhoenixPeer.reply(resent, "ok", null);
    assertThat(await(buffered).isOk()).isTrue();
  }

  @Test
  void anUnansweredHeartbeatClosesAndReconnects() throws Exception {
    peer.answerHeartbeats = false;
    connect(fast().withHeartbeat(Duration.ofMillis(100), true));
    WsContext first = peer.nextConnection();
    PhoenixPeer.Received heartbeat = peer.nextEvent("phoenix", "heartbeat");
    assertThat(heartbeat.frame().joinRef()).isNull();
    assertThat(heartbeat.frame().payload().toString()).isEqualTo("{}");
    assertThat(heartbeat.connection()).isEqualTo(first);
    assertThat(nextConnectionEvent()).isEqualTo("connected");
    assertThat(nextConnectionEvent()).isEqualTo("disconnected: heartbeat timeout");
    assertThat(nextConnectionEvent()).isEqualTo("connected");
    assertThat(peer.nextConnection()).isNotEqualTo(first);
  }

  @Test
  void answeredHeartbeatsKeepTheConnection() throws Exception {
    // long enough that a loaded machine answers each heartbeat before the next is due
    connect(fast().withHeartbeat(Duration.ofMillis(500), true));
    WsContext first = peer.nextConnection();
    PhoenixChannel channel = socket.channel("worker:queue", Map.of());
    joinOk(channel);
    for (int i = 0; i < 3; i++) {
      assertThat(peer.answeredHeartbeats.poll(10, TimeUnit.SECONDS)).isNotNull();
    }
    CompletableFuture<Reply> claim = channel.push("claim", Map.of(), LONG);
    PhoenixPeer.Received push = peer.nextEvent("worker:queue", "claim");
    assertThat(push.connection()).isEqualTo(first);
    PhoenixPeer.reply(push, "ok", Map.of("runs", List.of()));
    assertThat(await(claim).isOk()).isTrue();
    assertThat(peer.connections).isEmpty();
    assertThat(connectionEvents).containsExactly("connected");
  }

  @Test
  void pushesFromManyThreadsAllGetTheirOwnReplies() throws Exception {
    peer.echoPushes = true;
    connect(fast());
    PhoenixChannel run = socket.channel("run:r1", Map.of("token", "jwt"));
    joinOk(run);
    List<CompletableFuture<Reply>> replies = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> threads = new java.util.ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 50; i++) {
          replies.add(run.push("run:log", Map.of("n", thread * 1000 + i), LONG));
        }
      }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    for (CompletableFuture<Reply> reply : replies) {
      Reply r = await(reply);
      assertThat(r.isOk()).isTrue();
      seen.add(r.response().path("n").asInt());
    }
    assertThat(seen).hasSize(400);
  }

  @Test
  void closeEndsPendingPushesAndStopsReconnecting() throws Exception {
    connect(fast());
    PhoenixChannel run = socket.channel("run:r1", Map.of("token", "jwt"));
    joinOk(run);
    CompletableFuture<Reply> pending = run.push("run:complete", Map.of(), LONG);
    peer.nextEvent("run:r1", "run:complete");
    socket.close();
    assertThat(await(pending).status()).isEqualTo(Reply.Status.DISCONNECTED);
    assertThat(socket.isConnected()).isFalse();
    assertThat(nextConnectionEvent()).isEqualTo("connected");
    assertThat(nextConnectionEvent()).startsWith("disconnected");
  }

  @Test
  void heartbeatPolicyCanTolerateAServerThatNeverAnswers() throws Exception {
    peer.answerHeartbeats = false;
    connect(fast().withHeartbeat(Duration.ofMillis(50), false));
    peer.nextConnection();
    for (int i = 0; i < 4; i++) {
      peer.nextEvent("phoenix", "heartbeat");
    }
    assertThat(peer.connections).isEmpty();
    assertThat(connectionEvents).containsExactly("connected");
  }

  @Test
  void refusedJoinIsReportedAndRetried() throws Exception {
    connect(fast());
    BlockingQueue<Reply> joins = new LinkedBlockingQueue<>();
    PhoenixChannel queue = socket.channel("worker:queue", Map.of()).onJoin(joins::add);
    CompletableFuture<Reply> first = queue.join(LONG);
    PhoenixPeer.reply(peer.nextEvent("worker:queue", "phx_join"), "error", Map.of("reason", "unauthorized"));
    Reply refused = await(first);
    assertThat(refused.status()).isEqualTo(Reply.Status.ERROR);
    assertThat(refused.response().path("reason").asText()).isEqualTo("unauthorized");
    PhoenixPeer.reply(peer.nextEvent("worker:queue", "phx_join"), "ok", Map.of());
    assertThat(joins.poll(10, TimeUnit.SECONDS).isOk()).isTrue();
    assertThat(queue.state()).isEqualTo(ChannelState.JOINED);
  }

  @Test
  void serverChannelErrorFailsInFlightPushesAndRejoins() throws Exception {
    connect(fast());
    PhoenixChannel run = socket.channel("run:r1", Map.of("token", "jwt"));
    PhoenixPeer.Received join = joinOk(run);
    CompletableFuture<Reply> inFlight = run.push("run:log", Map.of(), LONG);
    PhoenixPeer.Received log = peer.nextEvent("run:r1", "run:log");
    log.connection().send(FrameCodec.encode(join.frame().ref(), join.frame().ref(), "run:r1", "phx_error", Map.of()));
    assertThat(await(inFlight).status()).isEqualTo(Reply.Status.DISCONNECTED);
    PhoenixPeer.reply(peer.nextEvent("run:r1", "phx_join"), "ok", Map.of());
  }

  @Test
  void anUnansweredJoinTimesOutIsLeftAndRetried() throws Exception {
    connect(fast());
    PhoenixChannel run = socket.channel("run:r1", Map.of("token", "jwt"));
    CompletableFuture<Reply> join = run.join(Duration.ofMillis(100));
    PhoenixPeer.Received first = peer.nextEvent("run:r1", "phx_join"); // never answered
    assertThat(await(join).status()).isEqualTo(Reply.Status.TIMEOUT);
    PhoenixPeer.Received leave = peer.nextEvent("run:r1", "phx_leave"); // as phoenix.js
    assertThat(leave.frame().joinRef()).isEqualTo(first.frame().ref());
    assertThat(peer.nextEvent("run:r1", "phx_join").frame().payload().toString()).isEqualTo("{\"token\":\"jwt\"}");
  }

  @Test
  void anUnansweredPushTimesOut() throws Exception {
    connect(fast());
    PhoenixChannel run = socket.channel("run:r1", Map.of("token", "jwt"));
    joinOk(run);
    CompletableFuture<Reply> push = run.push("fetch:credential", Map.of("id", "%TIMEOUT%"), Duration.ofMillis(100));
    peer.nextEvent("run:r1", "fetch:credential");
    Reply reply = await(push);
    assertThat(reply.status()).isEqualTo(Reply.Status.TIMEOUT);
    assertThat(reply.describe("fetch:credential")).isEqualTo("[fetch:credential] timeout");
  }

  @Test
  void leaveClosesTheChannelAndLaterPushesFailAtOnce() throws Exception {
    connect(fast());
    PhoenixChannel run = socket.channel("run:r1", Map.of("token", "jwt"));
    PhoenixPeer.Received join = joinOk(run);
    CompletableFuture<Reply> left = run.leave(LONG);
    PhoenixPeer.Received leave = peer.nextEvent("run:r1", "phx_leave");
    assertThat(leave.frame().joinRef()).isEqualTo(join.frame().ref());
    PhoenixPeer.reply(leave, "ok", Map.of());
    assertThat(await(left).isOk()).isTrue();
    assertThat(run.state()).isEqualTo(ChannelState.CLOSED);
    assertThat(await(run.push("run:log", Map.of(), LONG)).status()).isEqualTo(Reply.Status.DISCONNECTED);
  }

  @Test
  void aRefusedUpgradeIsRetried() throws Exception {
    connect(URI.create("ws://127.0.0.1:" + peer.port() + "/not-a-socket"), fast());
    assertThat(nextConnectionEvent()).startsWith("disconnected: could not connect");
    assertThat(nextConnectionEvent()).startsWith("disconnected: could not connect");
    assertThat(socket.isConnected()).isFalse();
  }

  @Test
  void pushesBeforeTheFirstConnectionAreBufferedUntilJoined() throws Exception {
    socket = new PhoenixSocket(peer.endpoint(), fast());
    PhoenixChannel queue = socket.channel("worker:queue", Map.of());
    CompletableFuture<Reply> joined = queue.join(LONG);
    CompletableFuture<Reply> claim = queue.push("claim", Map.of("demand", 1), LONG);
    socket.connect();
    PhoenixPeer.reply(peer.nextEvent("worker:queue", "phx_join"), "ok", Map.of());
    assertThat(await(joined).isOk()).isTrue();
    PhoenixPeer.reply(peer.nextEvent("worker:queue", "claim"), "ok", Map.of("runs", List.of()));
    assertThat(await(claim).isOk()).isTrue();
  }

  @Test
  void framesOverTheServersLimitAreRefusedWithoutCostingTheSocket() throws Exception {
    connect(fast().withLimits(10_000, 64 * 1024 * 1024, 1_000));
    PhoenixChannel run = socket.channel("run:r1", Map.of("token", "jwt"));
    joinOk(run);
    Reply refused = await(run.push("step:complete", Map.of("output_dataclip", "x".repeat(2_000)), LONG));
    assertThat(refused.status()).isEqualTo(Reply.Status.ERROR);
    assertThat(refused.response().asText()).contains("over the server's limit of 1000 bytes");
    CompletableFuture<Reply> small = run.push("step:complete", Map.of("output_dataclip", "{}"), LONG);
    PhoenixPeer.reply(peer.nextEvent("run:r1", "step:complete"), "ok", null);
    assertThat(await(small).isOk()).isTrue();
    assertThat(connectionEvents).containsExactly("connected");
  }

  @Test
  void theBufferOfAnUnjoinedChannelIsBounded() throws Exception {
    socket = new PhoenixSocket(peer.endpoint(), fast().withLimits(2, 64 * 1024 * 1024, 11_000_000));
    PhoenixChannel queue = socket.channel("worker:queue", Map.of());
    queue.join(LONG);
    CompletableFuture<Reply> first = queue.push("claim", Map.of(), LONG);
    CompletableFuture<Reply> second = queue.push("claim", Map.of(), LONG);
    Reply third = await(queue.push("claim", Map.of(), LONG));
    assertThat(third.status()).isEqualTo(Reply.Status.ERROR);
    assertThat(third.response().asText()).contains("buffer of worker:queue is full");
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();
  }

  @Test
  void aCleanCloseByTheServerIsAlsoFollowedByAReconnect() throws Exception {
    connect(fast());
    assertThat(nextConnectionEvent()).isEqualTo("connected");
    peer.nextConnection().closeSession(1000, "restarting");
    assertThat(nextConnectionEvent()).isEqualTo("disconnected: closed by the server (1000 restarting)");
    assertThat(nextConnectionEvent()).isEqualTo("connected");
  }

  @Test
  void phxCloseFromTheServerClosesTheChannel() throws Exception {
    connect(fast());
    PhoenixChannel run = socket.channel("run:r1", Map.of("token", "jwt"));
    PhoenixPeer.Received join = joinOk(run);
    CompletableFuture<Reply> pending = run.push("run:log", Map.of(), LONG);
    peer.nextEvent("run:r1", "run:log");
    join.connection().send(FrameCodec.encode(join.frame().ref(), join.frame().ref(), "run:r1", "phx_close", Map.of()));
    assertThat(await(pending).status()).isEqualTo(Reply.Status.DISCONNECTED);
    assertThat(run.state()).isEqualTo(ChannelState.CLOSED);
  }

  @Test
  void leavingWhileTheJoinIsUnansweredEndsTheJoin() throws Exception {
    connect(fast());
    PhoenixChannel run = socket.channel("run:r1", Map.of("token", "jwt"));
    CompletableFuture<Reply> join = run.join(LONG);
    peer.nextEvent("run:r1", "phx_join");
    CompletableFuture<Reply> left = run.leave(LONG);
    PhoenixPeer.reply(peer.nextEvent("run:r1", "phx_leave"), "ok", Map.of());
    assertThat(await(left).isOk()).isTrue();
    assertThat(await(join).status()).isEqualTo(Reply.Status.DISCONNECTED);
  }
}
