package dev.kiln.engine;

/**
 * The limits of one run, with the reference engine's defaults (spec §1.2).
 *
 * @param memoryLimitMb the run's memory: the run process' Java heap (compilation) and its V8 heap
 *     (execution) are each capped at this, and its RSS is watched against {@link #rssBudgetMb()}
 * @param runTimeoutMs the whole run (process start, compilation, execution); 0 = no timeout
 * @param stateLimitMb the largest state a step may return (the runtime checks it)
 * @param payloadLimitMb the largest state an event may carry to the consumer; 0 = no limit
 * @param keptStateMb the largest state the engine keeps in memory at all, for a consumer that
 *     applies its own payload limit (the worker); a larger one is redacted like one over {@code
 *     payloadLimitMb}; 0 = no such limit
 */
public record RunLimits(int memoryLimitMb, long runTimeoutMs, double stateLimitMb, int payloadLimitMb, double keptStateMb) {
  public static final int DEFAULT_MEMORY_LIMIT_MB = 500;
  public static final long DEFAULT_RUN_TIMEOUT_MS = 600_000;
  public static final int DEFAULT_PAYLOAD_LIMIT_MB = 10;

  /**
   * Memory a ready run process uses besides the two heaps: JVM code, metaspace, thread stacks,
   * Javet's native library and Node's own (non-heap) allocations. Measured at about 150 MB on
   * x86_64 Linux (see the README); the budget leaves room above that.
   */
  static final int PROCESS_OVERHEAD_MB = 256;

  public RunLimits {
    if (memoryLimitMb <= 0) {
      throw new IllegalArgumentException("memory limit must be positive: " + memoryLimitMb + " MB");
    }
    if (runTimeoutMs < 0 || stateLimitMb < 0 || payloadLimitMb < 0 || keptStateMb < 0) {
      throw new IllegalArgumentException("limits cannot be negative");
    }
  }

  /** The reference engine's defaults: 500 MB, 10 min, state 25% of memory, payload 10 MB. */
  public static RunLimits defaults() {
    return ofMemory(DEFAULT_MEMORY_LIMIT_MB, DEFAULT_RUN_TIMEOUT_MS);
  }

  /** The given memory and timeout; the state limit is 25% of memory, as in the reference. */
  public static RunLimits ofMemory(int memoryLimitMb, long runTimeoutMs) {
    return new RunLimits(memoryLimitMb, runTimeoutMs, memoryLimitMb * 0.25, DEFAULT_PAYLOAD_LIMIT_MB, 0);
  }

  public RunLimits withPayloadLimitMb(int mb) {
    return new RunLimits(memoryLimitMb, runTimeoutMs, stateLimitMb, mb, keptStateMb);
  }

  public RunLimits withKeptStateMb(double mb) {
    return new RunLimits(memoryLimitMb, runTimeoutMs, stateLimitMb, payloadLimitMb, mb);
  }

  /**
   * The largest frame body (a state) the engine keeps in memory for this run: the smallest of the
   * payload limit and the kept-state limit (a larger state is redacted in its event anyway) and
   * the state limit (a larger one ends the run). Larger bodies are read and dropped ({@code
   * FrameReader}), so the worker's memory does not grow with the states job code makes.
   */
  public int maxKeptBodyBytes() {
    double mb = Double.MAX_VALUE;
    for (double limit : new double[] {payloadLimitMb, keptStateMb, stateLimitMb}) {
      if (limit > 0) {
        mb = Math.min(mb, limit);
      }
    }
    return (int) Math.min(Integer.MAX_VALUE, mb * 1024 * 1024);
  }

  /**
   * The resident set size the run process may reach before the supervisor kills it: both heap
   * limits (a compilation's Java heap stays committed while the job executes) plus the process
   * overhead. The heaps enforce the limit precisely; this catches memory neither heap sees
   * (native buffers, ArrayBuffers, leaks in native code).
   */
  public long rssBudgetMb() {
    return 2L * memoryLimitMb + PROCESS_OVERHEAD_MB;
  }
}
