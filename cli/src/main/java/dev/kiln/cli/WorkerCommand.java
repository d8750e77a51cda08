package dev.kiln.cli;

import dev.kiln.worker.WorkerConfig;
import dev.kiln.worker.WorkerService;
import dev.kiln.worker.Workloop;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import sun.misc.Signal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kiln worker}: the Lightning worker service, with the reference worker's options,
 * {@code WORKER_*} environment variables and defaults (spec §7.1), so a deployment switches by
 * changing the command. Runs until SIGTERM/SIGINT, then drains: no new claims, active runs
 * finish, exit 0.
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    defaultValueProvider = WorkerEnvironment.class,
    description = {"Connect to Lightning (or kiln dev), claim runs and execute them.",
        "Every option also reads its WORKER_* environment variable (see README)."})
public final class WorkerCommand implements Callable<Integer> {
  static final String DEFAULT_LIGHTNING = "ws://localhost:4000/worker";
  static final String MOCK_LIGHTNING = "ws://localhost:8888/worker";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = {"-p", "--port"}, defaultValue = "2222", description = "HTTP port (GET /livez, POST /claim). Default: ${DEFAULT-VALUE}")
  int port;

  @Option(names = {"-l", "--lightning", "--lightning-service-url"}, defaultValue = DEFAULT_LIGHTNING,
      description = "Lightning's worker socket endpoint; 'mock' = " + MOCK_LIGHTNING + ". Default: ${DEFAULT-VALUE}")
  String lightning;

  @Option(names = {"-s", "--secret"}, description = "WORKER_SECRET: the key of the worker token. Required unless -l mock / --debug.")
  String secret;

  @Option(names = "--lightning-public-key", description = "Base64 of Lightning's PEM public key: verify run tokens at claim time.")
  String lightningPublicKey;

  @Option(names = "--capacity", description = "Concurrent runs (default 5). Excludes --workloops.")
  Integer capacity;

  @Option(names = "--workloops", description = "Claim loops, e.g. 'fast_lane:1 manual>*:4' (default manual>*:<capacity>).")
  String workloops;

  @Option(names = "--backoff", defaultValue = "1/10", description = "Claim backoff min/max in seconds. Default: ${DEFAULT-VALUE}")
  String backoff;

  @Option(names = "--loop", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Claim in a loop (--no-loop: only on work-available and POST /claim).")
  boolean loop;

  @Option(names = "--message-timeout", defaultValue = "30", description = "Run-channel push timeout (s). Default: ${DEFAULT-VALUE}")
  double messageTimeout;

  @Option(names = "--claim-timeout", defaultValue = "3600", description = "worker:queue join/claim timeout (s). Default: ${DEFAULT-VALUE}")
  double claimTimeout;

  @Option(names = "--socket-timeout", hidden = true, description = "Deprecated: overrides --message-timeout.")
  Double socketTimeout;

  @Option(names = "--timeout-retry-count", defaultValue = "10", description = "Accepted for compatibility; retries on timeout are off, as in the reference.")
  int timeoutRetryCount;

  @Option(names = "--timeout-retry-delay", defaultValue = "30000", description = "Accepted for compatibility (ms).")
  long timeoutRetryDelay;

  @Option(names = "--run-memory", defaultValue = "500", description = "Per-run memory limit (MB). Default: ${DEFAULT-VALUE}")
  int runMemory;

  @Option(names = "--payload-memory", defaultValue = "10", description = "Dataclip payload limit (MB). Default: ${DEFAULT-VALUE}")
  double payloadMemory;

  @Option(names = "--log-payload-memory", defaultValue = "1", description = "Log message limit (MB). Default: ${DEFAULT-VALUE}")
  double logPayloadMemory;

  @Option(names = {"-t", "--max-run-duration-seconds"}, defaultValue = "300", description = "Default run timeout (s). Default: ${DEFAULT-VALUE}")
  int maxRunDurationSeconds;

  @Option(names = "--state-props-to-remove", defaultValue = "configuration,response", split = ",",
      description = "Keys removed from step outputs. Default: ${DEFAULT-VALUE}")
  List<String> statePropsToRemove;

  @Option(names = "--batch-logs", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "Send logs with run:batch_logs.")
  boolean batchLogs;

  @Option(names = "--batch-interval", defaultValue = "10", description = "Batch flush interval (ms). Default: ${DEFAULT-VALUE}")
  long batchInterval;

  @Option(names = "--batch-limit", defaultValue = "50", description = "Logs per batch. Default: ${DEFAULT-VALUE}")
  int batchLimit;

  @Option(names = {"-c", "--collections-url"}, description = "Collections API URL: enables collections.")
  String collectionsUrl;

  @Option(names = "--collections-version", description = "@openfn/language-collections version (default: latest).")
  String collectionsVersion;

  @Option(names = {"-d", "--repo-dir"}, description = "Adaptor repo (default: $OPENFN_REPO_DIR, else ~/.openfn/repo).")
  Path repoDir;

  @Option(names = "--data-dir",
      description = "Run journals, kept across restarts (default: $WORKER_DATA_DIR, else ~/.kiln/worker).")
  Path dataDir;

  @Option(names = "--run-as", description = "Run every run process as this unprivileged user (the worker must run "
      + "as root; uses setpriv). Default: the worker's own user.")
  String runAs;

  @Option(names = {"-m", "--monorepo-dir"}, description = "Adaptors monorepo for @local adaptors.")
  Path monorepoDir;

  @Option(names = "--log", defaultValue = "debug", description = "Log level: none, error, warn, info, debug. Default: ${DEFAULT-VALUE}")
  String log;

  @Option(names = "--mock", description = "Not supported: Kiln always runs the real engine.")
  boolean mock;

  @Option(names = "--debug", hidden = true, description = "Allow running without a secret.")
  boolean debug;

  @Option(names = "--engine-validation-timeout-ms", defaultValue = "5000", description = "Accepted for compatibility.")
  long engineValidationTimeoutMs;

  @Option(names = "--engine-validation-retries", defaultValue = "3", description = "Accepted for compatibility.")
  int engineValidationRetries;

  @Option(names = "--profile", arity = "0..1", fallbackValue = "true", defaultValue = "false", description = "Accepted for compatibility.")
  boolean profile;

  @Option(names = "--profile-poll-interval-ms", defaultValue = "10", description = "Accepted for compatibility.")
  long profilePollIntervalMs;

  @Option(names = {"--sentry-dsn", "--dsn"}, description = "Accepted for compatibility; Kiln does not report to Sentry.")
  String sentryDsn;

  @Option(names = "--sentry-env", defaultValue = "dev", description = "Accepted for compatibility.")
  String sentryEnv;

  private final WorkerEnvironment environment;

  public WorkerCommand() {
    this(new WorkerEnvironment());
  }

  WorkerCommand(WorkerEnvironment environment) {
    this.environment = environment;
  }

  /** A command line for this command with the environment as option defaults. */
  static CommandLine commandLine(WorkerCommand command) {
    return new CommandLine(command).setDefaultValueProvider(command.environment);
  }

  @Override
  public Integer call() throws Exception {
    WorkerConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      System.err.println("kiln worker: " + e.getMessage());
      return 1;
    }
    configureLogging(log);
    // handlers first: a SIGTERM that arrives while the worker starts still drains it
    CompletableFuture<WorkerService> started = new CompletableFuture<>();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> Thread.ofPlatform().name("kiln-worker-drain")
          .start(() -> started.join().drain()));
    }
    WorkerService service = WorkerService.start(config, runAs);
    started.complete(service);
    return service.awaitTermination();
  }

  /** {@code --log}: none, error, warn, info, debug (the reference's names) for Kiln's loggers. */
  static void configureLogging(String level) {
    Level jul = switch (level.toLowerCase(java.util.Locale.ROOT)) {
      case "none" -> Level.OFF;
      case "error" -> Level.SEVERE;
      case "warn" -> Level.WARNING;
      case "info", "success", "always" -> Level.INFO;
      default -> Level.FINE;
    };
    Logger root = Logger.getLogger("");
    root.setLevel(Level.INFO);
    Logger kiln = Logger.getLogger("dev.kiln");
    kiln.setLevel(jul);
    for (java.util.logging.Handler handler : root.getHandlers()) {
      handler.setLevel(jul);
    }
  }

  /** The settings as the worker gets them; throws with a message for invalid combinations. */
  WorkerConfig config() {
    String endpoint = "mock".equals(lightning) ? MOCK_LIGHTNING : lightning;
    if ((secret == null || secret.isEmpty()) && !debug && !"mock".equals(lightning)) {
      throw new IllegalArgumentException("WORKER_SECRET is not set: pass --secret or set WORKER_SECRET "
          + "(the WORKER_SECRET of your Lightning deployment)");
    }
    if (capacity != null && workloops != null) {
      throw new IllegalArgumentException("--capacity and --workloops cannot be used together: "
          + "give the capacity inside --workloops (e.g. 'manual>*:5')");
    }
    List<Workloop> loops = workloops != null ? Workloop.parseAll(workloops)
        : Workloop.ofCapacity(capacity == null ? 5 : capacity);
    String[] bounds = backoff.split("/");
    if (bounds.length != 2) {
      throw new IllegalArgumentException("--backoff must be <min>/<max> in seconds, e.g. 1/10: got " + backoff);
    }
    long minMs = Math.round(Double.parseDouble(bounds[0]) * 1000);
    long maxMs = Math.round(Double.parseDouble(bounds[1]) * 1000);
    return new WorkerConfig(port, endpoint, secret, lightningPublicKey, loops, minMs, maxMs, loop,
        socketTimeout != null ? socketTimeout : messageTimeout, claimTimeout, runMemory, payloadMemory,
        logPayloadMemory, maxRunDurationSeconds, statePropsToRemove.stream().map(String::trim)
            .filter(s -> !s.isEmpty()).toList(),
        batchLogs, batchInterval, batchLimit, collectionsUrl, collectionsVersion,
        repoDir != null ? repoDir : defaultRepoDir(), monorepoDir, environment.workerName(),
        dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".kiln", "worker"));
  }

  static Path defaultRepoDir() {
    String env = System.getenv("OPENFN_REPO_DIR");
    return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".openfn", "repo");
  }
}
