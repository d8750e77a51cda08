package dev.kiln.devserver;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a {@link DevServer} starts. {@code port} 0 picks a free port. {@code workerSecret} and
 * {@code apiToken} null mean "the one stored in the database, generated at first start".
 *
 * @param host address to listen on
 * @param port HTTP port (0 = any free port)
 * @param database SQLite file (created if missing; survives restarts)
 * @param workerSecret HS256 key for worker tokens (Lightning's {@code WORKER_SECRET})
 * @param apiToken Bearer token of the REST API
 * @param mockQuirks behave like OpenFn's lightning-mock on the worker socket (spec §8.4)
 * @param defaultRunTimeout run timeout when the plan has no {@code run_timeout_ms}
 *     (Lightning's {@code WORKER_MAX_RUN_DURATION_SECONDS}, default 300 s)
 * @param gracePeriod added to the run timeout before the janitor marks a run lost
 *     ({@code RUN_GRACE_PERIOD_SECONDS}, default 10 s)
 * @param janitorInterval how often the janitor looks for lost runs
 * @param workAvailableDebounce delay between a run being queued and the {@code work-available} push
 * @param projectId the one project every run and collection belongs to
 * @param runJoinTimeout a claimed run whose channel is not joined within this time goes back to
 *     {@code available} (newest Lightning: 30 s); not in mock-quirks mode
 */
public record DevServerConfig(
    String host,
    int port,
    Path database,
    String workerSecret,
    String apiToken,
    boolean mockQuirks,
    Duration defaultRunTimeout,
    Duration gracePeriod,
    Duration janitorInterval,
    Duration workAvailableDebounce,
    String projectId,
    Duration runJoinTimeout) {

  public static final String DEFAULT_PROJECT_ID = "4adf2644-ed4e-4f97-a24c-ab35b3cb1efa";

  /** Loopback, any free port, {@code kiln-dev.db} in the working directory, Lightning's defaults. */
  public static DevServerConfig defaults() {
    return new DevServerConfig("127.0.0.1", 0, Path.of("kiln-dev.db"), null, null, false,
        Duration.ofSeconds(300), Duration.ofSeconds(10), Duration.ofSeconds(5),
        Duration.ofMillis(500), DEFAULT_PROJECT_ID, Duration.ofSeconds(30));
  }

  /**
   * The configuration for {@code DevServer.main}'s arguments ({@code --port}, {@code --db},
   * {@code --mock-quirks}, {@code --secret}, {@code --api-token}, {@code --max-run-duration-seconds},
   * {@code --grace-seconds}, {@code --host}); port 4000 by default; {@code WORKER_SECRET} from
   * {@code env} when {@code --secret} is absent. Throws {@link IllegalArgumentException} naming
   * the wrong option.
   */
  public static DevServerConfig fromArgs(String[] args, java.util.Map<String, String> env) {
    return DevServerCommandLine.parse(args, env);
  }

  public DevServerConfig withHost(String value) {
    return new DevServerConfig(value, port, database, workerSecret, apiToken, mockQuirks,
        defaultRunTimeout, gracePeriod, janitorInterval, workAvailableDebounce, projectId, runJoinTimeout);
  }

  public DevServerConfig withPort(int value) {
    return new DevServerConfig(host, value, database, workerSecret, apiToken, mockQuirks,
        defaultRunTimeout, gracePeriod, janitorInterval, workAvailableDebounce, projectId, runJoinTimeout);
  }

  public DevServerConfig withDatabase(Path value) {
    return new DevServerConfig(host, port, value, workerSecret, apiToken, mockQuirks,
        defaultRunTimeout, gracePeriod, janitorInterval, workAvailableDebounce, projectId, runJoinTimeout);
  }

  public DevServerConfig withWorkerSecret(String value) {
    return new DevServerConfig(host, port, database, value, apiToken, mockQuirks,
        defaultRunTimeout, gracePeriod, janitorInterval, workAvailableDebounce, projectId, runJoinTimeout);
  }

  public DevServerConfig withApiToken(String value) {
    return new DevServerConfig(host, port, database, workerSecret, value, mockQuirks,
        defaultRunTimeout, gracePeriod, janitorInterval, workAvailableDebounce, projectId, runJoinTimeout);
  }

  public DevServerConfig withMockQuirks(boolean value) {
    return new DevServerConfig(host, port, database, workerSecret, apiToken, value,
        defaultRunTimeout, gracePeriod, janitorInterval, workAvailableDebounce, projectId, runJoinTimeout);
  }

  public DevServerConfig withDefaultRunTimeout(Duration value) {
    return new DevServerConfig(host, port, database, workerSecret, apiToken, mockQuirks,
        value, gracePeriod, janitorInterval, workAvailableDebounce, projectId, runJoinTimeout);
  }

  public DevServerConfig withGracePeriod(Duration value) {
    return new DevServerConfig(host, port, database, workerSecret, apiToken, mockQuirks,
        defaultRunTimeout, value, janitorInterval, workAvailableDebounce, projectId, runJoinTimeout);
  }

  public DevServerConfig withJanitorInterval(Duration value) {
    return new DevServerConfig(host, port, database, workerSecret, apiToken, mockQuirks,
        defaultRunTimeout, gracePeriod, value, workAvailableDebounce, projectId, runJoinTimeout);
  }

  public DevServerConfig withWorkAvailableDebounce(Duration value) {
    return new DevServerConfig(host, port, database, workerSecret, apiToken, mockQuirks,
        defaultRunTimeout, gracePeriod, janitorInterval, value, projectId, runJoinTimeout);
  }

  public DevServerConfig withRunJoinTimeout(Duration value) {
    return new DevServerConfig(host, port, database, workerSecret, apiToken, mockQuirks,
        defaultRunTimeout, gracePeriod, janitorInterval, workAvailableDebounce, projectId, value);
  }
}
