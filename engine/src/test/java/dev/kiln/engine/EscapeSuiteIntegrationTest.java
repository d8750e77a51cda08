package dev.kiln.engine;

import static dev.kiln.engine.RecordingListener.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.engine.install.AdaptorInstaller;
import dev.kiln.engine.install.PackageFromTarball;
import dev.kiln.engine.install.RegistryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The escape suite (issue 6): attempts from job code and from a malicious adaptor, installed from
 * a local test tarball, to get out of a locked-down run process. Each attempt resolves to a truthy
 * value only when it reached its goal; every one must fail. The attempts are in
 * {@code resources/escape/}; the results are written to {@code target/escape-suite.md} (the table
 * in the runtime's README). The whole suite runs twice, in two run processes, so pollution left by
 * the first run would show in the second.
 */
@Tag("integration")
@Timeout(300)
class EscapeSuiteIntegrationTest {
  static final String WORKER_SECRET = "escape-suite-worker-secret";
  private static final String PASSWORD = "escape-suite-password-42";
  private static final String ADAPTOR = "@openfn/language-evil";
  private static final String RUN_STEP = """
      const out = {};
      for (const [name, attempt] of Object.entries(attempts)) {
        try {
          const value = await attempt(ctx, state);
          out[name] = value ? 'ESCAPED: ' + String(typeof value === 'object' ? JSON.stringify(value) : value).slice(0, 120) : 'failed: no effect';
        } catch (e) {
          out[name] = 'failed: ' + ((e && e.code ? e.code + ' ' : '') + String(e && e.message || e)).split('\\n')[0].slice(0, 120);
        }
      }
      """;

  @TempDir static Path root;
  private static Path repo;
  private static Path workerData;
  private static Path postinstallMarker;
  private static ServerSocketChannel daemon;
  private static RunProcessSandbox sandbox;
  private static RunSupervisor supervisor;
  private static final Map<String, String> results = new LinkedHashMap<>();

  @BeforeAll
  static void installTheMaliciousAdaptor() throws Exception {
    assertThat(System.getenv("WORKER_SECRET")).as("the worker's secret is in the test JVM's environment (pom.xml)")
        .isEqualTo(WORKER_SECRET);
    repo = Files.createDirectories(root.resolve("repo"));
    workerData = Files.createDirectories(root.resolve("worker-data"));
    Files.writeString(workerData.resolve("config.json"), "{\"secret\":\"" + WORKER_SECRET + "\"}");
    postinstallMarker = root.resolve("postinstall-ran");
    daemon = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    daemon.bind(UnixDomainSocketAddress.of(root.resolve("daemon.sock")));
    String adaptor = """
        const attempts = require('./attempts.js');
        async function run(attempts, ctx, state) {
        %s
          return out;
        }
        /** Runs a group of adaptor attempts with the run's data; adds the results to state.data.adaptor. */
        exports.attack = (group) => async (state) =>
          ({ ...state, data: { ...state.data, adaptor: await run(attempts[group], state.data, state) } });
        /** Writes the credentials to stderr, then breaks the frame protocol (the engine quotes stderr). */
        exports.leakThroughStderr = () => (state) => {
          process.stderr.write('leaking ' + state.configuration.password + '\\n');
          require('node:fs').writeSync(1, 'not a frame at all\\n');
          return new Promise(() => {});
        };
        /** Writes the step's credentials into the run folder, says where, waits for a 'release' file. */
        exports.holdSecrets = () => async (state) => {
          const fs = require('node:fs');
          fs.writeFileSync('creds.json', JSON.stringify(state.configuration));
          console.log('victim-folder ' + process.cwd() + ' pid ' + process.pid);
          await new Promise((resolve) => {
            const timer = setInterval(() => { if (fs.existsSync('release')) { clearInterval(timer); resolve(); } }, 20);
          });
          return { data: {} };
        };
        """.formatted(RUN_STEP);
    PackageFromTarball.install(repo, ADAPTOR, "1.0.0",
        Map.of("index.js", adaptor, "attempts.js", resource("adaptor-attempts.js")),
        Map.of("postinstall", "touch " + postinstallMarker, "install", "touch " + postinstallMarker));
    AdaptorInstaller offline = new AdaptorInstaller(repo, RegistryConfig.of(URI.create("http://127.0.0.1:9/")));
    sandbox = RunProcessSandbox.lockedDown(repo, null);
    assertThat(sandbox.compileCacheDir()).as("the compile cache the attempts go for").isNotNull();
    supervisor = new RunSupervisor(repo, new PlanAutoinstaller(spec -> offline.install(spec).version()),
        RunProcessLauncher.ofCurrentJvm().lockedDown(sandbox), false);
  }

  @AfterAll
  static void writeTheTable() throws IOException {
    if (supervisor != null) {
      supervisor.close();
    }
    if (daemon != null) {
      daemon.close();
    }
    StringBuilder table = new StringBuilder("| # | from | attempt | result |\n|---|---|---|---|\n");
    int n = 0;
    for (Map.Entry<String, String> e : results.entrySet()) {
      String[] fromAndName = e.getKey().split(": ", 2);
      table.append("| ").append(++n).append(" | ").append(fromAndName[0]).append(" | ")
          .append(fromAndName[1].replace("|", "\\|")).append(" | ").append(e.getValue().replace("|", "\\|")).append(" |\n");
    }
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "escape-suite.md"), table);
  }

  @Test
  void noAttemptSucceedsInTwoConsecutiveRuns() throws IOException {
    for (int run = 1; run <= 2; run++) {
      RecordingListener listener = new RecordingListener();
      RunOutcome outcome = supervisor.run(new RunRequest(suitePlan(), input(Map.of("runMark", "run " + run)), RunLimits.defaults(), null,
          id -> json("{\"username\":\"evil-user\",\"password\":\"" + PASSWORD + "\"}")), listener);
      assertThat(outcome.failure()).as("run %d: %s", run, listener.logText()).isNull();
      JsonNode data = json(outcome.finalState()).path("data");
      record("job code", data.path("job"), run);
      record("adaptor", data.path("adaptor"), run);
      String everything = listener.events.toString();
      assertThat(everything).as("no event carries the credentials (forged frames included)")
          .doesNotContain(PASSWORD).doesNotContain(WORKER_SECRET);
      results.put("adaptor: the forged log frame with the credentials (run " + run + ")",
          everything.contains("forged") ? "failed: reached the events with the password as ****" : "failed: no forged frame reached the events");
    }
    results.put("adaptor: `install`/`postinstall` scripts of the package",
        Files.exists(postinstallMarker) ? "ESCAPED: the script ran" : "failed: never run by the installer");
    assertThat(Files.readString(repo.resolve("package.json"))).doesNotEndWith(" ");
    assertThat(results).hasSizeGreaterThanOrEqualTo(30);
    assertThat(results.entrySet()).filteredOn(e -> !e.getValue().startsWith("failed")).isEmpty();
  }

  @Test
  void credentialsWrittenToStderrDoNotLeaveThroughTheEnginesFailureMessage() throws IOException {
    RecordingListener listener = new RecordingListener();
    ObjectNode plan = TestPlans.oneStep("leaky", "leakThroughStderr();", ADAPTOR + "@1.0.0");
    ((ObjectNode) plan.path("workflow").path("steps").get(0)).put("configuration", "evil-credential");
    RunOutcome outcome = supervisor.run(new RunRequest(plan, input(Map.of()), RunLimits.defaults(), null,
        id -> json("{\"password\":\"" + PASSWORD + "\"}")), listener);

    assertThat(outcome.failure()).isNotNull();
    assertThat(outcome.failure().message()).contains("frame").doesNotContain(PASSWORD);
    assertThat(listener.events.toString()).doesNotContain(PASSWORD);
    results.put("adaptor: write the credentials to stderr, then break the frame protocol (the engine quotes stderr)",
        listener.events.toString().contains("leaking ****") ? "failed: quoted as ****" : "failed: not quoted");
  }

  @Test
  void aRunCannotReadAnotherConcurrentRunsCredentials() throws Exception {
    AtomicReference<String> victimLine = new AtomicReference<>();
    CountDownLatch holding = new CountDownLatch(1);
    RunListener victimListener = event -> {
      if (RunEvent.LOG.equals(event.type()) && event.meta().path("message").asText().contains("victim-folder")) {
        victimLine.set(event.meta().path("message").asText());
        holding.countDown();
      }
    };
    ObjectNode victimPlan = TestPlans.oneStep("victim", "holdSecrets();", ADAPTOR + "@1.0.0");
    ((ObjectNode) victimPlan.path("workflow").path("steps").get(0)).put("configuration", "victim-credential");
    CompletableFuture<RunOutcome> victim = CompletableFuture.supplyAsync(() -> supervisor.run(
        new RunRequest(victimPlan, null, RunLimits.defaults(), null, id -> json("{\"apiKey\":\"victim-api-key-123\"}")),
        victimListener));
    assertThat(holding.await(120, TimeUnit.SECONDS)).as("the victim run holds its secrets").isTrue();
    String[] words = victimLine.get().replace("\"", "").replace("]", "").split(" ");
    Path victimFolder = Path.of(words[1]);
    String victimPid = words[3];
    try {
      RecordingListener listener = new RecordingListener();
      ObjectNode plan = TestPlans.oneStep("attacker", "attack('concurrent');", ADAPTOR + "@1.0.0");
      RunOutcome attacker = supervisor.run(RunRequest.of(plan,
          input(Map.of("victimFolder", victimFolder.toString(), "victimPid", victimPid))), listener);
      assertThat(attacker.failure()).as(listener.logText()).isNull();
      record("adaptor, concurrent run", json(attacker.finalState()).path("data").path("adaptor"), 1);
      assertThat(json(attacker.finalState()).path("data").path("adaptor").toString()).doesNotContain("victim-api-key");
    } finally {
      Files.writeString(victimFolder.resolve("release"), "");
    }
    assertThat(victim.get(60, TimeUnit.SECONDS).failure()).isNull();
    awaitDeletion(victimFolder);
    assertThat(results.entrySet()).filteredOn(e -> !e.getValue().startsWith("failed")).isEmpty();
  }

  /** Waits (on file-system events, 30 s at most) until the run folder is deleted after its run. */
  static void awaitDeletion(Path folder) throws IOException, InterruptedException {
    try (WatchService watch = folder.getFileSystem().newWatchService()) {
      folder.getParent().register(watch, StandardWatchEventKinds.ENTRY_DELETE);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (Files.exists(folder) && System.nanoTime() < deadline) {
        WatchKey key = watch.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
      }
    }
    assertThat(folder).as("the run folder is removed after the run").doesNotExist();
  }

  /** Step 1: the job attempts; step 2: the adaptor's. */
  private static ObjectNode suitePlan() throws IOException {
    String job = "export default [async (state) => {\n const ctx = state.data;\n const attempts = "
        + resource("job-attempts.js").replaceAll("(?m)^//.*\\n", "") + ";\n" + RUN_STEP
        + " return { ...state, data: { ...state.data, job: out } };\n}];\n";
    ObjectNode plan = TestPlans.oneStep("job attempts", job, null);
    ObjectNode second = ((com.fasterxml.jackson.databind.node.ArrayNode) plan.path("workflow").path("steps")).addObject();
    ((ObjectNode) plan.path("workflow").path("steps").get(0)).putObject("next").put("step-2", true);
    second.put("id", "step-2").put("name", "adaptor attempts").put("expression", "attack('suite');")
        .put("configuration", "evil-credential");
    second.putArray("adaptors").add(ADAPTOR + "@1.0.0");
    return plan;
  }

  private static String input(Map<String, String> more) throws IOException {
    ObjectNode data = RunSupervisor.JSON.createObjectNode();
    data.put("workerConfig", workerData.resolve("config.json").toString());
    data.put("workerData", workerData.toString());
    data.put("repo", repo.toString());
    data.put("daemonSocket", root.resolve("daemon.sock").toString());
    data.put("nativeLibrary", nativeLibrary().toString());
    data.put("compileCache", String.valueOf(sandbox.compileCacheDir()));
    more.forEach(data::put);
    ObjectNode state = RunSupervisor.JSON.createObjectNode();
    state.set("data", data);
    return state.toString();
  }

  /** Javet's own native library: a real Node addon-shaped shared object on this machine. */
  private static Path nativeLibrary() throws IOException {
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "kiln");
    try (Stream<Path> files = Files.walk(cache, 2)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".so")).findFirst()
          .orElse(Path.of("/usr/lib/x86_64-linux-gnu/libc.so.6"));
    }
  }

  private static void record(String from, JsonNode outcomes, int run) {
    assertThat(outcomes.isObject()).as("%s attempts ran: %s", from, outcomes).isTrue();
    outcomes.fields().forEachRemaining(e -> {
      String key = from + ": " + e.getKey();
      String previous = results.get(key);
      String value = e.getValue().asText();
      results.put(key, previous == null || previous.equals(value) || !value.startsWith("failed")
          ? value : previous + " / run " + run + ": " + value);
    });
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = EscapeSuiteIntegrationTest.class.getResourceAsStream("/escape/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
