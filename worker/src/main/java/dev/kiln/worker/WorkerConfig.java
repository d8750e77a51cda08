package dev.kiln.worker;

import java.nio.file.Path;
import java.util.List;

/**
 * Every setting of the worker (spec §7.1), already resolved from the command line, the
 * {@code WORKER_*} environment and the reference's defaults (see {@code kiln worker}).
 *
 * @param port HTTP port ({@code GET /}, {@code /livez}, {@code POST /claim}); 0 picks a free one
 * @param lightningUrl the worker socket endpoint, e.g. {@code ws://localhost:4000/worker}
 * @param secret the HS256 key of the worker token ({@code WORKER_SECRET})
 * @param lightningPublicKey base64 of a PEM public key: run tokens are verified at claim time; null = no check
 * @param workloops the claim loops ({@link Workloop#parseAll})
 * @param backoffMinMs claim backoff start
 * @param backoffMaxMs claim backoff cap
 * @param loop false = no claim loop ({@code --no-loop}): claims only on {@code POST /claim} / {@code work-available}
 * @param messageTimeoutSeconds run-channel push and join timeout
 * @param claimTimeoutSeconds {@code worker:queue} join and claim timeout
 * @param workerName the claim's {@code worker_name} ({@code WORKER_NAME}, {@code DEPLOYED_POD_NAME}), or null
 * @param dataDir where the worker keeps its run journals ({@code --data-dir}, {@code WORKER_DATA_DIR})
 */
public record WorkerConfig(
    int port,
    String lightningUrl,
    String secret,
    String lightningPublicKey,
    List<Workloop> workloops,
    long backoffMinMs,
    long backoffMaxMs,
    boolean loop,
    double messageTimeoutSeconds,
    double claimTimeoutSeconds,
    int runMemoryMb,
    double payloadMemoryMb,
    double logPayloadMemoryMb,
    int maxRunDurationSeconds,
    List<String> statePropsToRemove,
    boolean batchLogs,
    long batchIntervalMs,
    int batchLimit,
    String collectionsUrl,
    String collectionsVersion,
    Path repoDir,
    Path monorepoDir,
    String workerName,
    Path dataDir) {

  public WorkerConfig {
    workloops = List.copyOf(workloops);
    statePropsToRemove = List.copyOf(statePropsToRemove);
    if (workloops.isEmpty()) {
      throw new IllegalArgumentException("at least one workloop is needed");
    }
  }

  /** The sum of the workloops' slots: the join payload's {@code capacity}. */
  public int capacity() {
    return workloops.stream().mapToInt(Workloop::capacity).sum();
  }

  /** One journal per run in flight ({@link RunJournal}). */
  Path journalDir() {
    return dataDir.resolve("runs");
  }

  /**
   * Large {@code fetch:dataclip} replies as they arrive, before their run takes them into its own
   * body folder; emptied at start (what is left there belonged to no run).
   */
  Path incomingDir() {
    return dataDir.resolve("incoming");
  }

  long messageTimeoutMs() {
    return Math.round(messageTimeoutSeconds * 1000);
  }

  long claimTimeoutMs() {
    return Math.round(claimTimeoutSeconds * 1000);
  }
}
