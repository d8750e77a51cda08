package dev.kiln.cli;

import static dev.kiln.cli.LightningPlans.all;
import static dev.kiln.cli.LightningPlans.job;
import static dev.kiln.cli.LightningPlans.last;
import static dev.kiln.cli.LightningPlans.logs;
import static dev.kiln.cli.LightningPlans.oneJob;
import static dev.kiln.cli.LightningPlans.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.devserver.DevServer;
import dev.kiln.devserver.DevServerConfig;
import dev.kiln.devserver.SocketFaults;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 5's fault suite (also run by {@code bench/faults/run.sh}): a real dev server and real
 * {@code kiln worker} processes, faults injected, and every run must end with an explicit reason
 * that reached the server — none Lost. Each scenario adds a row to the table written to
 * {@code target/fault-suite.md} (scenario, runs started, ended by reason, Lost).
 */
@Tag("integration")
@Tag("faults")
class FaultSuiteIntegrationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(180);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HEALTHY = "export default [async s => { await new Promise(r => setTimeout(r, 1500));"
      + " return { data: { healthy: true } }; }];";
  private static final Map<String, Map<String, Integer>> TABLE = new LinkedHashMap<>();
  private static final Map<String, Integer> LOST = new LinkedHashMap<>();
  private static final Map<String, String> MESSAGES = new LinkedHashMap<>();

  private final List<AutoCloseable> open = new ArrayList<>();

  private static List<String> workerArgs(DevServer server, Path dataDir) {
    return List.of("--lightning", server.workerEndpoint(), "--secret", server.workerSecret(),
        "--lightning-public-key", server.runPublicKeyBase64(), "--backoff", "0.05/0.5", "--capacity", "5",
        "--data-dir", dataDir.toString());
  }

  private KilnProcess worker(DevServer server, Path dataDir) throws IOException {
    return worker(server, dataDir, List.of());
  }

  private KilnProcess worker(DevServer server, Path dataDir, List<String> jvmOptions) throws IOException {
    KilnProcess worker = KilnProcess.startWithJvmOptions(jvmOptions, DevPlatform.REPO, workerArgs(server, dataDir).toArray(String[]::new));
    open.add(worker);
    return worker;
  }

  private static DevServer server(Path dir, int port) {
    return DevServer.start(DevServerConfig.defaults().withDatabase(dir.resolve("dev.db")).withPort(port)
        .withWorkAvailableDebounce(Duration.ofMillis(20)));
  }

  /** Waits for the run's end; records its reason (or Lost) under the scenario; its events. */
  private static List<DevPlatform.Event> ended(String scenario, DevPlatform platform, String runId) throws Exception {
    List<DevPlatform.Event> events = platform.events(runId, TIMEOUT);
    String state = platform.run(runId).path("state").asText();
    boolean lost = !last(events).name().equals("run:complete") || state.equals("lost");
    if (lost) {
      LOST.merge(scenario, 1, Integer::sum);
    } else {
      String reason = last(events).payload().path("reason").asText();
      String type = last(events).payload().path("error_type").asText("");
      TABLE.computeIfAbsent(scenario, s -> new TreeMap<>())
          .merge(type.isEmpty() ? reason : reason + " (" + type + ")", 1, Integer::sum);
      String message = last(events).payload().path("error_message").asText("");
      if (!message.isEmpty()) {
        MESSAGES.putIfAbsent(scenario, message.length() > 200 ? message.substring(0, 200) + "…" : message);
      }
    }
    LOST.putIfAbsent(scenario, 0);
    assertThat(lost).as("run %s of '%s' is Lost (state %s); worker output:\n%s", runId, scenario, state,
        platform.worker.output()).isFalse();
    return events;
  }

  @Test
  void killMinus9WithThreeRunsInFlightThenRestart() throws Exception {
    String scenario = "kill -9 of the worker with 3 runs in flight, then restart";
    Path dir = Files.createTempDirectory("kiln-fault-kill");
    DevServer server = server(dir, 0);
    open.add(server);
    Path tmp = Files.createDirectories(dir.resolve("tmp")); // the workers' run folders
    List<String> jvmOptions = List.of("-Djava.io.tmpdir=" + tmp);
    KilnProcess first = worker(server, dir.resolve("worker-data"), jvmOptions);
    DevPlatform before = DevPlatform.of(server, first);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ObjectNode run = oneJob("export default [async s => { console.log('working');"
          + " await new Promise(r => setTimeout(r, 120000)); return s; }];");
      options(run).put("run_timeout_ms", 150_000);
      ids.add(before.submit(run));
    }
    for (String id : ids) {
      before.awaitEvent(id, "step:start", TIMEOUT);
    }
    String firstsRunFolders = "kiln-run-" + first.pid() + "-";
    assertThat(runFolders(tmp, firstsRunFolders)).hasSizeGreaterThanOrEqualTo(3);
    first.close(); // SIGKILL
    assertThat(first.awaitExit(Duration.ofSeconds(30))).isNotZero();

    DevPlatform after = DevPlatform.of(server, worker(server, dir.resolve("worker-data"), jvmOptions));
    after.worker.awaitLine("run folder(s) left in " + tmp + " by workers that were killed", TIMEOUT);
    assertThat(runFolders(tmp, firstsRunFolders)).as("run folders of the killed worker").isEmpty();
    for (String id : ids) {
      List<DevPlatform.Event> events = ended(scenario, after, id);
      JsonNode complete = last(events).payload();
      assertThat(complete.path("reason").asText()).isEqualTo("crash");
      assertThat(complete.path("error_type").asText()).isEqualTo("WorkerRestart");
      assertThat(complete.path("error_message").asText()).contains("worker restarted");
      assertThat(all(events, "step:complete")).singleElement()
          .satisfies(e -> assertThat(e.payload().path("error_type").asText()).isEqualTo("WorkerRestart"));
      assertThat(after.run(id).path("state").asText()).isEqualTo("crashed");
    }
    assertThat(after.worker.output()).contains("found 3 run(s) in flight before the restart");
    assertThat(server.sweepLostRuns()).isEmpty();
  }

  private static List<Path> runFolders(Path tmp, String prefix) throws IOException {
    try (var folders = Files.list(tmp)) {
      return folders.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
    }
  }

  @Test
  void devServerDownForFiveSecondsMidRunThenBackOnTheSamePort() throws Exception {
    serverOutage(5);
  }

  /** Bench only ({@code bench/faults/run.sh --long}): 45 s is longer than a CI suite should wait. */
  @Test
  @EnabledIfSystemProperty(named = "kiln.faults.long", matches = "true")
  void devServerDownForFortyFiveSecondsMidRun() throws Exception {
    serverOutage(45);
  }

  private void serverOutage(int seconds) throws Exception {
    String scenario = "dev server restarted mid-run (socket down " + seconds + " s)";
    Path dir = Files.createTempDirectory("kiln-fault-restart");
    DevServer server = server(dir, 0);
    int port = server.port();
    KilnProcess worker = worker(server, dir.resolve("worker-data"));
    DevPlatform before = DevPlatform.of(server, worker);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ids.add(before.submit(oneJob("export default [async s => { console.log('before');"
          + " await new Promise(r => setTimeout(r, 8000)); console.log('after'); return { data: { survived: true } }; }];")));
    }
    for (String id : ids) {
      before.awaitEvent(id, "step:start", TIMEOUT);
    }
    server.close();
    worker.awaitLine("disconnected from", TIMEOUT);
    LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds)); // the outage itself, not a wait for something
    DevServer again = server(dir, port);
    open.add(again);
    DevPlatform after = DevPlatform.of(again, worker);
    for (String id : ids) {
      List<DevPlatform.Event> events = ended(scenario, after, id);
      assertThat(last(events).payload().path("reason").asText()).isEqualTo("success");
      assertThat(logs(events).stream().map(LightningPlans::text)).contains("before", "after");
      assertThat(all(events, "step:complete")).hasSize(1);
    }
    assertThat(metric(worker, "kiln_worker_reconnects_total")).isGreaterThanOrEqualTo(1);
    assertThat(again.sweepLostRuns()).isEmpty();
  }

  @Test
  void userCodeCannotMakeARunLost() throws Exception {
    Path dir = Files.createTempDirectory("kiln-fault-code");
    DevServer server = server(dir, 0);
    open.add(server);
    DevPlatform platform = DevPlatform.of(server, worker(server, dir.resolve("worker-data")));

    ObjectNode hog = oneJob("export default [s => { const keep = []; while (true) { keep.push({ n: Math.random(),"
        + " s: 'x'.repeat(64) }); } }];");
    options(hog).put("run_memory_limit_mb", 100);
    String hogId = platform.submit(hog);
    List<String> healthy = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      healthy.add(platform.submit(oneJob(HEALTHY)));
    }
    String besides = "one run allocating without end beside four healthy ones";
    assertThat(last(ended(besides, platform, hogId)).payload().path("error_type").asText()).isEqualTo("OOMError");
    for (String id : healthy) {
      assertThat(last(ended(besides, platform, id)).payload().path("reason").asText()).isEqualTo("success");
    }

    Map<String, ObjectNode> faults = new LinkedHashMap<>();
    ObjectNode loop = oneJob("export default [s => { while (true) {} }];");
    options(loop).put("run_timeout_ms", 3000);
    faults.put("infinite loop", loop);
    faults.put("process.exit", oneJob("export default [s => { process.exit(3); return s; }];"));
    faults.put("uncaught async error", oneJob("export default [async s => { setTimeout(() => { throw new Error('late'); }, 10);"
        + " await new Promise(r => setTimeout(r, 500)); return s; }];"));
    faults.put("fn(() => 42) (compiled form)", oneJob("export default [() => 42];"));
    faults.put("undefined result", oneJob("export default [() => undefined];"));
    faults.put("state with a cycle", oneJob("export default [s => { const o = { data: {} }; o.data.self = o; return o; }];"));
    faults.put("state with a BigInt", oneJob("export default [s => ({ data: { n: 10n } })];"));
    faults.put("state with a function", oneJob("export default [s => ({ data: { f: () => 1 } })];"));
    faults.put("10 000 log lines in a second", oneJob("export default [s => { for (let i = 0; i < 10000; i++)"
        + " { console.log('line ' + i); } return s; }];"));
    ObjectNode big = oneJob("export default [s => ({ data: { big: 'x'.repeat(50 * 1024 * 1024) } })];");
    options(big).put("payload_limit_mb", 10);
    faults.put("50 MB state, 10 MB payload limit", big);
    Map<String, String> ids = new LinkedHashMap<>();
    for (Map.Entry<String, ObjectNode> fault : faults.entrySet()) {
      ids.put(fault.getKey(), platform.submit(fault.getValue()));
    }
    for (Map.Entry<String, String> run : ids.entrySet()) {
      JsonNode complete = last(ended(run.getKey(), platform, run.getValue())).payload();
      if (!complete.path("reason").asText().equals("success")) {
        assertThat(complete.path("error_type").asText("")).as(run.getKey()).isNotEmpty();
      }
    }
    assertThat(server.sweepLostRuns()).isEmpty();
  }

  @Test
  void malformedAndUnexpectedFramesFromTheServer() throws Exception {
    String scenario = "malformed and unexpected frames from the server (phx_error, phx_close mid-run)";
    // 2 runs hit by the faults, 3 healthy ones beside them, 1 submitted after phx_error on worker:queue,
    // 1 after worker:queue was closed
    Path dir = Files.createTempDirectory("kiln-fault-frames");
    DevServer server = server(dir, 0);
    open.add(server);
    KilnProcess worker = worker(server, dir.resolve("worker-data"));
    DevPlatform platform = DevPlatform.of(server, worker);
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      targets.add(platform.submit(oneJob("export default [async s => { console.log('before');"
          + " await new Promise(r => setTimeout(r, 4000)); console.log('after'); return { data: { survived: true } }; }];")));
    }
    List<String> healthy = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      healthy.add(platform.submit(oneJob(HEALTHY)));
    }
    for (String id : targets) {
      platform.awaitEvent(id, "step:start", TIMEOUT);
    }
    SocketFaults faults = server.socketFaults();
    faults.sendRaw("this is not JSON");
    faults.sendRaw("[1, 2, 3]");
    faults.sendRaw("{\"topic\": \"worker:queue\"}");
    faults.sendOnChannel("worker:queue", null, "surprise:event", JSON.createObjectNode());
    faults.sendOnChannel("worker:queue", "987654", "phx_reply", JSON.readTree("{\"status\":\"ok\",\"response\":{}}"));
    faults.replaceReplies("run:log", List.of(TextNode.valueOf("surprise"), JSON.readTree("[1, 2]"),
        JSON.readTree("{\"response\": {\"no\": \"status\"}}"), JSON.readTree("{\"status\": \"ok\"}")));
    for (String id : targets) {
      faults.sendOnChannel("run:" + id, "987655", "phx_reply", JSON.readTree("{\"status\":\"ok\",\"response\":{}}"));
      faults.sendOnChannel("run:" + id, null, "surprise:event", JSON.createObjectNode().put("x", 1));
    }
    faults.sendOnChannel("run:" + targets.get(0), null, "phx_error", JSON.createObjectNode());
    faults.sendOnChannel("run:" + targets.get(1), null, "phx_close", JSON.createObjectNode());
    faults.sendOnChannel("worker:queue", null, "phx_error", JSON.createObjectNode());
    String afterQueueError = platform.submit(oneJob(HEALTHY));
    assertThat(last(ended(scenario, platform, afterQueueError)).payload().path("reason").asText()).isEqualTo("success");
    faults.sendOnChannel("worker:queue", null, "phx_close", JSON.createObjectNode());
    healthy.add(platform.submit(oneJob(HEALTHY)));

    for (String id : targets) {
      List<DevPlatform.Event> events = ended(scenario, platform, id);
      assertThat(last(events).payload().path("reason").asText()).isEqualTo("success");
      assertThat(logs(events).stream().map(LightningPlans::text)).contains("before", "after");
      assertThat(all(events, "step:complete")).hasSize(1);
    }
    for (String id : healthy) {
      assertThat(last(ended(scenario, platform, id)).payload().path("reason").asText()).isEqualTo("success");
    }
    assertThat(worker.output()).contains("ignored a malformed frame").contains("joining it again")
        .doesNotContain("disconnected from");
    assertThat(server.workerConnections()).isEqualTo(1);
    assertThat(metric(worker, "kiln_worker_events_resent_total")).as("pushes sent again after phx_error / phx_close")
        .isGreaterThanOrEqualTo(1);
    assertThat(metric(worker, "kiln_worker_reconnects_total")).isZero();
    assertThat(server.sweepLostRuns()).isEmpty();
  }

  /** A counter's value on the worker's {@code GET /metrics}. */
  private static double metric(KilnProcess worker, String name) throws Exception {
    String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + worker.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    Matcher value = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(text);
    assertThat(value.find()).as("%s in /metrics:%n%s", name, text).isTrue();
    return Double.parseDouble(value.group(1));
  }

  @Test
  void claimRepliesThatArriveAfterTheClaimTimeout() throws Exception {
    String scenario = "claim replies that arrive after the claim timeout (1 s timeout, replies 3 s late)";
    Path dir = Files.createTempDirectory("kiln-fault-late-claim");
    DevServer server = server(dir, 0);
    open.add(server);
    server.socketFaults().delayReplies("claim", Duration.ofSeconds(3));
    List<String> args = new ArrayList<>(workerArgs(server, dir.resolve("worker-data")));
    args.addAll(List.of("--claim-timeout", "1"));
    KilnProcess worker = KilnProcess.start(DevPlatform.REPO, args.toArray(String[]::new));
    open.add(worker);
    DevPlatform platform = DevPlatform.of(server, worker);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(platform.submit(oneJob(HEALTHY)));
    }
    for (String id : ids) {
      assertThat(last(ended(scenario, platform, id)).payload().path("reason").asText()).isEqualTo("success");
    }
    assertThat(worker.output()).contains("later than the claim timeout");
    assertThat(server.sweepLostRuns()).isEmpty();
  }

  @org.junit.jupiter.api.AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
  }

  @AfterAll
  static void writeTable() throws IOException {
    StringBuilder table = new StringBuilder("Fault suite, " + LocalDate.now(ZoneOffset.UTC) + "\n\n"
        + "| scenario | runs started | ended by reason | Lost |\n|---|---|---|---|\n");
    LOST.forEach((scenario, lost) -> {
      Map<String, Integer> reasons = TABLE.getOrDefault(scenario, Map.of());
      int started = reasons.values().stream().mapToInt(Integer::intValue).sum() + lost;
      List<String> cells = new ArrayList<>();
      reasons.forEach((reason, n) -> cells.add(n + " " + reason));
      table.append("| ").append(scenario).append(" | ").append(started).append(" | ")
          .append(String.join(", ", cells)).append(" | ").append(lost).append(" |\n");
    });
    table.append("\nError messages (first run of each scenario):\n\n");
    MESSAGES.forEach((scenario, message) -> table.append("- ").append(scenario).append(": ")
        .append(message.replace("\n", " ")).append("\n"));
    Path out = Path.of("target", "fault-suite.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, table.toString());
    System.out.println(table);
  }
}
