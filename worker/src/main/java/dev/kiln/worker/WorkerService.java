package dev.kiln.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.engine.RunSupervisor;
import dev.kiln.lightning.phoenix.ChannelState;
import dev.kiln.lightning.phoenix.ConnectionListener;
import dev.kiln.lightning.phoenix.PhoenixChannel;
import dev.kiln.lightning.phoenix.PhoenixSocket;
import dev.kiln.lightning.phoenix.Reply;
import dev.kiln.lightning.phoenix.SocketOptions;
import dev.kiln.lightning.protocol.ClaimReply.ClaimedRun;
import dev.kiln.lightning.protocol.ClaimRequest;
import dev.kiln.lightning.protocol.Events;
import dev.kiln.lightning.protocol.QueueJoin;
import dev.kiln.lightning.token.RunTokenVerifier;
import dev.kiln.lightning.token.TokenException;
import dev.kiln.lightning.token.WorkerToken;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The worker: connects to Lightning's worker socket with its HS256 token, joins {@code
 * worker:queue}, runs one {@link ClaimLoop} per workloop while joined (claiming stops while
 * disconnected and resumes after the rejoin), starts a {@link RunAttempt} per claimed run, serves
 * {@code GET /}, {@code /livez} and {@code POST /claim}, and drains on {@link #drain()}: no new
 * claims, active runs and pending claims finish, then the socket closes.
 */
public final class WorkerService {
  private static final Logger LOG = Logger.getLogger(WorkerService.class.getName());
  static final String API_VERSION = "1.2";
  /**
   * How long after the claim timeout a claim's reply is still awaited (Lightning's run join
   * timeout: a claimed run whose channel is not joined by then goes back to the queue).
   */
  static final Duration LATE_CLAIM_WINDOW = Duration.ofSeconds(30);

  private final WorkerConfig config;
  private final String workerId = "kiln-" + UUID.randomUUID().toString().substring(0, 8);
  private final RunSupervisor supervisor;
  private final RunAttempt.PlanPreparer preparer;
  private final RunTokenVerifier verifier;
  private final Map<String, String> versions;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("kiln-claim-timer").unstarted(r));
  private final List<ClaimLoop> loops = new ArrayList<>();
  private final PhoenixSocket socket;
  private final QueueJoin queueJoin;
  private volatile PhoenixChannel queue;
  private final HealthAndClaimEndpoints http;
  private final WorkerMetrics metrics;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final CompletableFuture<Integer> terminated = new CompletableFuture<>();
  private volatile int exitCode;
  private CompletableFuture<Boolean> recovered = CompletableFuture.completedFuture(true);

  private WorkerService(WorkerConfig config, RunSupervisor supervisor, RunAttempt.PlanPreparer preparer)
      throws IOException {
    this.config = config;
    this.supervisor = supervisor;
    this.preparer = preparer;
    this.verifier = verifier(config.lightningPublicKey());
    String version = KilnVersions.kiln();
    this.versions = Map.of("worker", version, "engine", version);
    for (Workloop workloop : config.workloops()) {
      loops.add(new ClaimLoop(workloop, this::claim, this::startRun, timer, config.backoffMinMs(), config.backoffMaxMs(),
          config.claimTimeoutMs()));
    }
    this.metrics = new WorkerMetrics(supervisor::readyProcesses);
    this.http = new HealthAndClaimEndpoints(config.port(), this::claimAll, metrics::scrape);
    Map<String, String> params = new LinkedHashMap<>();
    params.put("token", WorkerToken.mint(config.secret(), workerId, Instant.now()));
    params.put("api_version", API_VERSION);
    params.put("worker_version", version);
    this.socket = new PhoenixSocket(URI.create(config.lightningUrl()),
        SocketOptions.defaults(params).withDefaultPushTimeout(Duration.ofMillis(config.messageTimeoutMs()))
            .withSpillDir(config.incomingDir()));
    Map<String, Integer> queues = new LinkedHashMap<>();
    config.workloops().forEach(w -> queues.merge(w.queueKey(), w.capacity(), Integer::sum));
    this.queueJoin = new QueueJoin(config.capacity(), queues);
  }

  /** Starts a worker with the default engine (adaptors installed into {@code config.repoDir()}). */
  public static WorkerService start(WorkerConfig config) throws IOException {
    return start(config, null);
  }

  /**
   * As {@link #start(WorkerConfig)}; with {@code runAs} (a user name, {@code --run-as}; the worker
   * must run as root) every run process runs as that unprivileged user.
   */
  public static WorkerService start(WorkerConfig config, String runAs) throws IOException {
    RunSupervisor supervisor = RunSupervisor.forWorker(config.repoDir(), config.capacity(), runAs,
        config.monorepoDir() == null ? List.of() : List.of(config.monorepoDir()));
    return start(config, supervisor, new LightningPlanPreparer(config));
  }

  static WorkerService start(WorkerConfig config, RunSupervisor supervisor, RunAttempt.PlanPreparer preparer)
      throws IOException {
    try {
      Files.createDirectories(config.journalDir());
      emptyIncoming(config.incomingDir());
    } catch (IOException e) {
      throw new IOException("cannot create the worker's data folder " + config.journalDir()
          + ": set --data-dir / WORKER_DATA_DIR to a writable folder (" + e + ")", e);
    }
    WorkerService service = new WorkerService(config, supervisor, preparer);
    service.connect();
    service.recovered = new RestartRecovery(config, service::runTopic, service.metrics::eventResent).start();
    return service;
  }

  private static void emptyIncoming(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      try (var files = Files.list(dir)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  private void connect() {
    LOG.info("worker " + workerId + " listening on http://0.0.0.0:" + http.port() + ", connecting to "
        + config.lightningUrl() + " with capacity " + config.capacity());
    socket.addConnectionListener(new ConnectionListener() {
      @Override
      public void connected() {
        LOG.fine("connected to " + config.lightningUrl());
        metrics.connected();
      }

      @Override
      public void disconnected(String reason) {
        LOG.warning("disconnected from " + config.lightningUrl() + " (" + reason + "): claiming stops until rejoined");
        loops.forEach(ClaimLoop::stop);
      }
    });
    queue = openQueue(); // joins once the socket is up
    socket.connect();
  }

  /** Joins {@code worker:queue}: claim loops (re)start on every join, {@code work-available} claims. */
  private PhoenixChannel openQueue() {
    PhoenixChannel channel = socket.channel(Events.WORKER_QUEUE, queueJoin);
    channel.on(Events.WORK_AVAILABLE, payload -> claimAll());
    channel.onJoin(reply -> {
      LOG.info("joined " + Events.WORKER_QUEUE + " at " + config.lightningUrl());
      if (config.loop() && !draining.get()) {
        loops.forEach(ClaimLoop::start);
      }
    });
    channel.join(Duration.ofMillis(config.claimTimeoutMs()));
    return channel;
  }

  /**
   * The server closed {@code worker:queue} ({@code phx_close}) while the worker still claims: it is
   * joined again, once however many claims saw it closed (the reference stops claiming for good).
   */
  private synchronized void reopenQueue(PhoenixChannel closed) {
    if (queue == closed && !draining.get() && socket.isConnected()) {
      LOG.warning("the server closed " + Events.WORKER_QUEUE + "; joining it again");
      queue = openQueue();
    }
  }

  /** The HTTP port (useful with port 0). */
  public int port() {
    return http.port();
  }

  /** One claim on every loop with a free slot; the number of runs claimed. */
  CompletableFuture<Integer> claimAll() {
    if (draining.get() || !socket.isConnected()) {
      return CompletableFuture.completedFuture(0);
    }
    List<CompletableFuture<Integer>> claims = loops.stream()
        .filter(ClaimLoop::hasCapacity).map(ClaimLoop::claimOnce).toList();
    return CompletableFuture.allOf(claims.toArray(CompletableFuture[]::new))
        .thenApply(v -> claims.stream().mapToInt(CompletableFuture::join).sum());
  }

  private CompletableFuture<List<ClaimedRun>> claim(Workloop workloop) {
    if (draining.get() || !socket.isConnected()) {
      return CompletableFuture.completedFuture(List.of());
    }
    PhoenixChannel channel = queue;
    if (channel.state() == ChannelState.CLOSED) {
      reopenQueue(channel);
      return CompletableFuture.completedFuture(List.of());
    }
    ClaimRequest request = new ClaimRequest(1, config.workerName(), workloop.queues());
    long sent = System.nanoTime();
    Duration wait = Duration.ofMillis(config.claimTimeoutMs()).plus(LATE_CLAIM_WINDOW);
    return metrics.claim(channel.push(Events.CLAIM, request, wait).thenApply(reply -> {
      if (reply.status() == Reply.Status.TIMEOUT) {
        LOG.warning("claim not answered within " + wait.toSeconds() + " s (claim timeout "
            + config.claimTimeoutMs() / 1000.0 + " s + " + LATE_CLAIM_WINDOW.toSeconds() + " s): runs Lightning"
            + " may have claimed for it go back to the queue once their join timeout passes");
      }
      if (!reply.isOk()) {
        throw new IllegalStateException(reply.describe(Events.CLAIM));
      }
      List<ClaimedRun> runs = claimedRuns(reply.response());
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
      if (tookMs > config.claimTimeoutMs() && !runs.isEmpty()) {
        LOG.warning("a claim was answered after " + tookMs + " ms, later than the claim timeout ("
            + config.claimTimeoutMs() + " ms): its " + runs.size() + " run(s) start in the slot it kept");
      }
      return verified(runs);
    }));
  }

  /**
   * The runs of a claim reply. A reply of another shape is logged and taken as empty; a run entry
   * without a text {@code id} and {@code token} cannot be joined, so it is logged and skipped.
   */
  static List<ClaimedRun> claimedRuns(JsonNode response) {
    JsonNode runs = response == null ? null : response.get("runs");
    if (runs == null || runs.isNull()) {
      return List.of();
    }
    if (!runs.isArray()) {
      LOG.warning("ignored a claim reply whose runs is not a list: " + abbreviated(response));
      return List.of();
    }
    List<ClaimedRun> claimed = new ArrayList<>();
    for (JsonNode run : runs) {
      if (run.path("id").isTextual() && run.path("token").isTextual()) {
        claimed.add(new ClaimedRun(run.get("id").asText(), run.get("token").asText()));
      } else {
        LOG.warning("ignored a claimed run without a text id and token (it cannot be joined): " + abbreviated(run));
      }
    }
    return claimed;
  }

  private static String abbreviated(JsonNode node) {
    String text = node.toString();
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }

  /**
   * With {@code --lightning-public-key}, every run token must verify; a token that does not means
   * this worker talks to the wrong Lightning (or the key is wrong), so it stops, as the reference does.
   */
  private List<ClaimedRun> verified(List<ClaimedRun> runs) {
    if (verifier == null) {
      return runs;
    }
    for (ClaimedRun run : runs) {
      try {
        verifier.verify(run.token(), Instant.now());
      } catch (TokenException e) {
        LOG.severe("run " + run.id() + ": the run token does not verify with --lightning-public-key ("
            + e.getMessage() + "): check WORKER_LIGHTNING_PUBLIC_KEY against Lightning's WORKER_RUNS_PRIVATE_KEY. "
            + "The worker stops.");
        exitCode = 1;
        Thread.ofPlatform().name("kiln-worker-stop").start(this::drain);
        throw new IllegalStateException("invalid run token");
      }
    }
    return runs;
  }

  private void startRun(ClaimedRun run, ClaimLoop loop) {
    LOG.info("claimed run " + run.id() + " (" + loop.workloop().id() + ")");
    RunTopic topic = runTopic(run.id(), run.token());
    Thread.ofVirtual().name("kiln-run-" + run.id()).start(new RunAttempt(run.id(), run.token(), topic, supervisor,
        preparer, config, versions, metrics, () -> {
          LOG.info("run " + run.id() + " done");
          loop.runFinished();
        }));
  }

  private RunTopic runTopic(String runId, String runToken) {
    return new ChannelRunTopic(socket, runId, runToken, Duration.ofMillis(config.messageTimeoutMs()),
        metrics::eventResent);
  }

  /** Completes when the runs a previous worker left in the data folder were reported (true) or given up. */
  CompletableFuture<Boolean> recovered() {
    return recovered;
  }

  /** Active runs of all loops. */
  public int activeRuns() {
    return loops.stream().mapToInt(ClaimLoop::active).sum();
  }

  /**
   * Graceful shutdown (SIGTERM): stops claiming, closes the HTTP port, waits until every active run
   * and pending claim is over, leaves {@code worker:queue}, closes the socket and the engine. Safe
   * to call more than once; later calls wait for the first.
   */
  public void drain() {
    if (!draining.compareAndSet(false, true)) {
      terminated.join();
      return;
    }
    LOG.info("draining: no new claims; waiting for " + activeRuns() + " active run(s)");
    loops.forEach(ClaimLoop::stop);
    http.close();
    try {
      while (loops.stream().anyMatch(l -> l.active() > 0 || l.pending() > 0) || !recovered.isDone()) {
        synchronized (this) {
          wait(50);
        }
      }
      queue.leave(Duration.ofSeconds(2)).get();
    } catch (Exception e) {
      LOG.log(Level.FINE, "while draining", e);
    } finally {
      socket.close();
      supervisor.close();
      timer.shutdownNow();
      LOG.info("worker stopped");
      terminated.complete(exitCode);
    }
  }

  /** Blocks until the worker stopped; its exit code (0 after a drain, 1 after a fatal error). */
  public int awaitTermination() {
    return terminated.join();
  }

  private static RunTokenVerifier verifier(String publicKey) {
    if (publicKey == null || publicKey.isBlank()) {
      return null;
    }
    try {
      return RunTokenVerifier.fromPem(publicKey);
    } catch (TokenException e) {
      throw new IllegalArgumentException("--lightning-public-key / WORKER_LIGHTNING_PUBLIC_KEY is not a PEM public key "
          + "(SPKI 'BEGIN PUBLIC KEY' or PKCS#1 'BEGIN RSA PUBLIC KEY', as text or base64): " + e.getMessage(), e);
    }
  }
}
