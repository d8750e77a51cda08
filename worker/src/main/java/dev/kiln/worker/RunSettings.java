package dev.kiln.worker;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.engine.RunLimits;
import dev.kiln.lightning.plan.RunOptions;
import java.util.List;

/**
 * The effective options of one run: the Lightning plan's {@code options} (spec §4.1: {@code run_timeout_ms},
 * {@code run_memory_limit_mb}, {@code payload_limit_mb}, {@code log_payload_limit_mb},
 * {@code output_dataclips}, {@code job_log_level}, {@code sanitize}) over the worker's defaults.
 *
 * @param payloadLimitMb a state larger than this (UTF-8 bytes of its JSON) is not sent; 0 means any
 *     non-empty state is too large, as in the reference
 * @param logPayloadLimitMb a log message larger than this is replaced by a notice
 */
record RunSettings(
    long runTimeoutMs,
    int memoryLimitMb,
    double payloadLimitMb,
    double logPayloadLimitMb,
    boolean outputDataclips,
    String jobLogLevel,
    String sanitize,
    List<String> statePropsToRemove) {
  private static final double MB = 1024 * 1024;

  static RunSettings resolve(RunOptions o, WorkerConfig worker) {
    return new RunSettings(
        runTimeoutMs(o.runTimeoutMs(), worker.maxRunDurationSeconds()),
        o.memoryLimitMb() != null ? o.memoryLimitMb() : worker.runMemoryMb(),
        o.payloadLimitMb() != null ? o.payloadLimitMb() : worker.payloadMemoryMb(),
        o.logPayloadLimitMb() != null ? o.logPayloadLimitMb() : worker.logPayloadMemoryMb(),
        o.outputDataclips() == null || o.outputDataclips(),
        o.jobLogLevel(),
        o.sanitize(),
        worker.statePropsToRemove());
  }

  /**
   * The run's timeout: the smaller of the run's {@code run_timeout_ms} and the worker's {@code
   * --max-run-duration-seconds} (issue 5; the reference lets the run's value override the worker's),
   * the worker's alone when the run has none, the run's alone when the worker's is not positive.
   * {@link RunDeadline} may cut it further, to report the run before Lightning's deadline.
   */
  static long runTimeoutMs(Long runs, int workerSeconds) {
    long workers = workerSeconds * 1000L;
    if (runs == null || runs <= 0) {
      return workers;
    }
    return workers > 0 ? Math.min(runs, workers) : runs;
  }

  /** The same settings with the engine's timeout cut to {@code ms} (see {@link RunDeadline}). */
  RunSettings withRunTimeoutMs(long ms) {
    return new RunSettings(ms, memoryLimitMb, payloadLimitMb, logPayloadLimitMb, outputDataclips, jobLogLevel,
        sanitize, statePropsToRemove);
  }

  /**
   * The engine's limits. Its own payload redaction is off ({@code 0}): the worker applies the
   * payload limit itself, where 0 means "send nothing", not "no limit". But the engine keeps no
   * state over the payload limit (it would not be sent): such an event comes with {@code redacted}
   * and the worker's memory does not grow with the states job code makes.
   */
  RunLimits limits() {
    return RunLimits.ofMemory(memoryLimitMb, runTimeoutMs).withPayloadLimitMb(0)
        .withKeptStateMb(payloadLimitMb > 0 ? payloadLimitMb : Double.MIN_VALUE);
  }

  /** The runtime options the run process gets. */
  ObjectNode runtimeOptions() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    if (jobLogLevel != null) {
      o.put("jobLogLevel", jobLogLevel);
    }
    if (sanitize != null) {
      o.put("sanitize", sanitize);
    }
    statePropsToRemove.forEach(o.putArray("statePropsToRemove")::add);
    return o;
  }

  boolean stateTooLarge(long utf8Bytes) {
    return utf8Bytes > payloadLimitMb * MB;
  }

  /** The reference checks a log against both limits (the engine's payload check, then the log limit). */
  boolean logTooLarge(long utf8Bytes) {
    return utf8Bytes > logPayloadLimitMb * MB || utf8Bytes > payloadLimitMb * MB;
  }

  /** How the limit is printed ({@code 10}, {@code 0.5}), as JavaScript prints numbers. */
  static String mb(double value) {
    return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** UTF-8 length of a string without encoding it. */
  static long utf8Length(CharSequence s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
