package dev.kiln.devserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test aid, not a Lightning feature: faults the dev server injects on its worker sockets, so
 * that tests (issue 5's fault suite) can check how a worker copes with a misbehaving server.
 * Every method acts on the worker sockets open at the time of the call; nothing here is reachable
 * over HTTP. Get it with {@link DevServer#socketFaults()}.
 *
 * <ul>
 *   <li>{@link #sendRaw}: any text as a WebSocket text frame (invalid JSON, a JSON value that is not
 *       a Phoenix frame, ...);
 *   <li>{@link #sendOnChannel}: a well-formed frame on a joined topic, with that join's
 *       {@code join_ref} (an unknown event, a {@code phx_reply} for a ref never sent, a
 *       {@code phx_error} or {@code phx_close} on a run channel mid-run);
 *   <li>{@link #replaceReplies}: the next replies to an event are sent with the given payloads
 *       (the event itself is still handled and stored as usual);
 *   <li>{@link #delayReplies}: replies to an event are held back (the event is handled at once:
 *       a delayed {@code claim} has claimed its runs before its reply leaves).
 * </ul>
 */
public final class SocketFaults {
  private final Map<String, Deque<JsonNode>> replacements = new ConcurrentHashMap<>();
  private final Map<String, Duration> delays = new ConcurrentHashMap<>();
  private final WorkerSocket socket;

  SocketFaults(WorkerSocket socket) {
    this.socket = socket;
  }

  /** Sends {@code text} as it is to every worker socket; the number of sockets it went to. */
  public int sendRaw(String text) {
    return socket.sendRaw(text);
  }

  /**
   * Sends {@code [join_ref, ref, topic, event, payload]} to every worker socket that joined
   * {@code topic}, with that socket's join ref; the number of sockets it went to.
   */
  public int sendOnChannel(String topic, String ref, String event, JsonNode payload) {
    return socket.sendOnTopic(topic, ref, event, payload);
  }

  /**
   * The next {@code payloads.size()} replies to {@code event} (e.g. {@code run:log}, {@code
   * claim}) carry these payloads as the whole {@code phx_reply} payload instead of {@code
   * {"status": ..., "response": ...}}.
   */
  public void replaceReplies(String event, List<JsonNode> payloads) {
    replacements.computeIfAbsent(event, e -> new ArrayDeque<>());
    Deque<JsonNode> queue = replacements.get(event);
    synchronized (queue) {
      queue.addAll(payloads);
    }
  }

  /** Replies to {@code event} leave {@code delay} after the event was handled; {@link Duration#ZERO} stops it. */
  public void delayReplies(String event, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      delays.remove(event);
    } else {
      delays.put(event, delay);
    }
  }

  /** Stops every replacement and delay. */
  public void clear() {
    replacements.clear();
    delays.clear();
  }

  /** The payload to send instead of the real reply to {@code event}, or null. */
  JsonNode nextReplacement(String event) {
    Deque<JsonNode> queue = replacements.get(event);
    if (queue == null) {
      return null;
    }
    synchronized (queue) {
      return queue.poll();
    }
  }

  /** How long a reply to {@code event} is held back (zero: not at all). */
  Duration delayOf(String event) {
    return delays.getOrDefault(event, Duration.ZERO);
  }
}
