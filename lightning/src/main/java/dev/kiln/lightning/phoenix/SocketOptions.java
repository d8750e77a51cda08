package dev.kiln.lightning.phoenix;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Settings of a {@link PhoenixSocket}, with the reference worker's values as defaults.
 *
 * @param params query parameters before {@code vsn} (the worker: {@code token}, {@code
 *     api_version}, {@code worker_version}), in order
 * @param heartbeatInterval 30 s (phoenix.js {@code heartbeatIntervalMs})
 * @param heartbeatReplyRequired as phoenix.js: a heartbeat still unanswered when the next one is
 *     due closes the socket ("heartbeat timeout") and reconnects. lightning-mock never answers
 *     heartbeats, so against it the socket reconnects about every minute (runs survive that).
 * @param reconnectDelay delay before reconnect attempt {@code tries} (1, 2, …): the worker's
 *     {@code tries × 1 s}
 * @param rejoinDelay delay before channel rejoin attempt {@code tries}: phoenix's 1, 2, 5, 10 s
 * @param defaultPushTimeout push/join timeout when none is given (30 s)
 * @param maxBufferedPushes pushes a channel holds while not joined; beyond, pushes fail at once
 * @param maxFrameBytes the largest inbound message accepted (64 MiB); a larger one drops the
 *     connection
 * @param maxOutboundFrameBytes the largest frame a push may make: Lightning's {@code
 *     max_frame_size} is 11,000,000 bytes and a larger frame would cost the whole socket
 * @param spillDir where binary replies over {@link #SPILL_THRESHOLD_BYTES} (a large {@code
 *     fetch:dataclip}) are written as they arrive, or null to keep them in memory
 */
public record SocketOptions(
    Map<String, String> params,
    Duration heartbeatInterval,
    boolean heartbeatReplyRequired,
    IntFunction<Duration> reconnectDelay,
    IntFunction<Duration> rejoinDelay,
    Duration defaultPushTimeout,
    int maxBufferedPushes,
    int maxFrameBytes,
    int maxOutboundFrameBytes,
    Path spillDir) {

  /** Binary replies larger than this go to a file in {@link #spillDir}. */
  public static final int SPILL_THRESHOLD_BYTES = 256 * 1024;

  /** Lightning's {@code max_frame_size} for the worker socket ({@code endpoint.ex}). */
  public static final int LIGHTNING_MAX_FRAME_BYTES = 11_000_000;

  private static final Duration[] REJOIN_STEPS = {
    Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10)
  };

  public SocketOptions {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(params, "params")));
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(reconnectDelay, "reconnectDelay");
    Objects.requireNonNull(rejoinDelay, "rejoinDelay");
    Objects.requireNonNull(defaultPushTimeout, "defaultPushTimeout");
    if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
      throw new IllegalArgumentException("heartbeat interval must be positive");
    }
    if (maxBufferedPushes < 1 || maxFrameBytes < 1 || maxOutboundFrameBytes < 1) {
      throw new IllegalArgumentException("buffer and frame limits must be positive");
    }
  }

  /** The reference's settings: 30 s heartbeat (enforced), reconnect after tries × 1 s. */
  public static SocketOptions defaults(Map<String, String> params) {
    return new SocketOptions(
        params,
        Duration.ofSeconds(30),
        true,
        tries -> Duration.ofSeconds(Math.max(1, tries)),
        tries -> REJOIN_STEPS[Math.min(Math.max(tries, 1), REJOIN_STEPS.length) - 1],
        Duration.ofSeconds(30),
        10_000,
        64 * 1024 * 1024,
        LIGHTNING_MAX_FRAME_BYTES,
        null);
  }

  public SocketOptions withHeartbeat(Duration interval, boolean replyRequired) {
    return new SocketOptions(params, interval, replyRequired, reconnectDelay, rejoinDelay,
        defaultPushTimeout, maxBufferedPushes, maxFrameBytes, maxOutboundFrameBytes, spillDir);
  }

  public SocketOptions withReconnectDelay(IntFunction<Duration> delay) {
    return new SocketOptions(params, heartbeatInterval, heartbeatReplyRequired, delay, rejoinDelay,
        defaultPushTimeout, maxBufferedPushes, maxFrameBytes, maxOutboundFrameBytes, spillDir);
  }

  public SocketOptions withRejoinDelay(IntFunction<Duration> delay) {
    return new SocketOptions(params, heartbeatInterval, heartbeatReplyRequired, reconnectDelay, delay,
        defaultPushTimeout, maxBufferedPushes, maxFrameBytes, maxOutboundFrameBytes, spillDir);
  }

  public SocketOptions withDefaultPushTimeout(Duration timeout) {
    return new SocketOptions(params, heartbeatInterval, heartbeatReplyRequired, reconnectDelay,
        rejoinDelay, timeout, maxBufferedPushes, maxFrameBytes, maxOutboundFrameBytes, spillDir);
  }

  /** Large binary replies are written to files in {@code dir} (created when needed). */
  public SocketOptions withSpillDir(Path dir) {
    return new SocketOptions(params, heartbeatInterval, heartbeatReplyRequired, reconnectDelay,
        rejoinDelay, defaultPushTimeout, maxBufferedPushes, maxFrameBytes, maxOutboundFrameBytes, dir);
  }

  public SocketOptions withLimits(int bufferedPushes, int frameBytes, int outboundFrameBytes) {
    return new SocketOptions(params, heartbeatInterval, heartbeatReplyRequired, reconnectDelay,
        rejoinDelay, defaultPushTimeout, bufferedPushes, frameBytes, outboundFrameBytes, spillDir);
  }
}
