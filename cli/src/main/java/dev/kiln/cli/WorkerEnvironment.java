package dev.kiln.cli;

import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The {@code WORKER_*} environment of {@code kiln worker} (spec §7.1): an option not given on
 * the command line takes its environment variable, else its default. Booleans are true iff the
 * variable is {@code true} or {@code 1}, as in the reference.
 */
final class WorkerEnvironment implements IDefaultValueProvider {
  /** Option long name → environment variable. */
  static final Map<String, String> VARIABLES = Map.ofEntries(
      Map.entry("--port", "WORKER_PORT"),
      Map.entry("--lightning", "WORKER_LIGHTNING_SERVICE_URL"),
      Map.entry("--secret", "WORKER_SECRET"),
      Map.entry("--lightning-public-key", "WORKER_LIGHTNING_PUBLIC_KEY"),
      Map.entry("--capacity", "WORKER_CAPACITY"),
      Map.entry("--workloops", "WORKER_WORKLOOPS"),
      Map.entry("--backoff", "WORKER_BACKOFF"),
      Map.entry("--message-timeout", "WORKER_MESSAGE_TIMEOUT_SECONDS"),
      Map.entry("--claim-timeout", "WORKER_CLAIM_TIMEOUT_SECONDS"),
      Map.entry("--socket-timeout", "WORKER_SOCKET_TIMEOUT_SECONDS"),
      Map.entry("--timeout-retry-count", "WORKER_TIMEOUT_RETRY_COUNT"),
      Map.entry("--timeout-retry-delay", "WORKER_TIMEOUT_RETRY_DELAY_MS"),
      Map.entry("--run-memory", "WORKER_MAX_RUN_MEMORY_MB"),
      Map.entry("--payload-memory", "WORKER_MAX_PAYLOAD_MB"),
      Map.entry("--log-payload-memory", "WORKER_MAX_LOG_PAYLOAD_MB"),
      Map.entry("--max-run-duration-seconds", "WORKER_MAX_RUN_DURATION_SECONDS"),
      Map.entry("--state-props-to-remove", "WORKER_STATE_PROPS_TO_REMOVE"),
      Map.entry("--batch-logs", "WORKER_BATCH_LOGS"),
      Map.entry("--data-dir", "WORKER_DATA_DIR"),
      Map.entry("--batch-interval", "WORKER_BATCH_INTERVAL"),
      Map.entry("--batch-limit", "WORKER_BATCH_LIMIT"),
      Map.entry("--collections-url", "WORKER_COLLECTIONS_URL"),
      Map.entry("--collections-version", "WORKER_COLLECTIONS_VERSION"),
      Map.entry("--repo-dir", "WORKER_REPO_DIR"),
      Map.entry("--monorepo-dir", "OPENFN_ADAPTORS_REPO"),
      Map.entry("--log", "WORKER_LOG_LEVEL"),
      Map.entry("--engine-validation-timeout-ms", "WORKER_VALIDATION_TIMEOUT_MS"),
      Map.entry("--engine-validation-retries", "WORKER_VALIDATION_RETRIES"),
      Map.entry("--profile", "WORKER_PROFILE"),
      Map.entry("--profile-poll-interval-ms", "WORKER_PROFILE_POLL_INTERVAL_MS"),
      Map.entry("--sentry-dsn", "WORKER_SENTRY_DSN"),
      Map.entry("--sentry-env", "WORKER_SENTRY_ENV"));

  private final Map<String, String> environment;

  /** The process environment (picocli's constructor). */
  WorkerEnvironment() {
    this(System.getenv());
  }

  WorkerEnvironment(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option)) {
      return null;
    }
    String variable = null;
    for (String name : option.names()) {
      variable = variable == null ? VARIABLES.get(name) : variable;
    }
    String value = variable == null ? null : environment.get(variable);
    if (value == null || value.isEmpty()) {
      return null; // the option's own default
    }
    if (option.type() == boolean.class || option.type() == Boolean.class) {
      return String.valueOf("true".equals(value) || "1".equals(value));
    }
    return value;
  }

  /** {@code WORKER_NAME}, else {@code DEPLOYED_POD_NAME}, else null (an empty name counts as none). */
  String workerName() {
    for (String variable : new String[] {"WORKER_NAME", "DEPLOYED_POD_NAME"}) {
      String value = environment.get(variable);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }
}
