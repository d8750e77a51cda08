package dev.kiln.lightning.phoenix;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * A Phoenix channel on a {@link PhoenixSocket} ({@code phoenix/channel.js} semantics).
 *
 * <ul>
 *   <li>{@link #join} sends {@code phx_join} with the channel params; {@code ok} → joined, buffered
 *       pushes go out; {@code error} or no reply in time → errored and a rejoin is scheduled
 *       (1, 2, 5, 10 s); after a socket reconnect an errored channel rejoins at once with the
 *       same params.
 *   <li>A push made while not joined is buffered (bounded) with its timeout already running. A
 *       push that was sent and is unanswered when the socket drops or the server errors the
 *       channel completes {@link Reply.Status#DISCONNECTED} at once (phoenix.js would wait for
 *       its timeout): the caller may resend it after the rejoin.
 *   <li>Replies arrive as {@code phx_reply} (Phoenix) or {@code chan_reply_<ref>}
 *       (lightning-mock). Frames with another channel instance's {@code join_ref} are dropped.
 * </ul>
 *
 * All methods are thread-safe; results and handlers run on the socket's dispatch thread.
 */
public final class PhoenixChannel {
  private static final System.Logger LOG = System.getLogger(PhoenixChannel.class.getName());

  /** Brackets, commas, quotes and the two refs of a frame, generously. */
  private static final int FRAME_OVERHEAD_BYTES = 64;

  private final PhoenixSocket socket;
  private final String topic;
  private final Object params;
  private final Map<String, List<Consumer<JsonNode>>> handlers = new ConcurrentHashMap<>();
  private final List<Consumer<Reply>> joinListeners = new CopyOnWriteArrayList<>();
  private volatile ChannelState state = ChannelState.CLOSED;

  // event-loop state
  private final CompletableFuture<Reply> firstJoin = new CompletableFuture<>();
  private final ArrayDeque<Push> buffer = new ArrayDeque<>();
  private final Map<String, Push> inFlight = new LinkedHashMap<>();
  private final Map<String, CompletableFuture<Reply>> leaves = new HashMap<>();
  private Duration joinTimeout;
  private boolean joinRequested;
  private String joinRef;
  private ScheduledFuture<?> joinTimer;
  private ScheduledFuture<?> rejoinTimer;
  private int rejoinTries;

  PhoenixChannel(PhoenixSocket socket, String topic, Object params) {
    this.socket = socket;
    this.topic = topic;
    this.params = params;
  }

  public String topic() {
    return topic;
  }

  public ChannelState state() {
    return state;
  }

  /** Calls {@code handler} with the (leniently decoded) payload of every server push of {@code event}. */
  public PhoenixChannel on(String event, Consumer<JsonNode> handler) {
    handlers.computeIfAbsent(event, e -> new CopyOnWriteArrayList<>()).add(handler);
    return this;
  }

  /** Calls {@code listener} after every successful join, the first and each rejoin. */
  public PhoenixChannel onJoin(Consumer<Reply> listener) {
    joinListeners.add(listener);
    return this;
  }

  /**
   * Joins (once per channel; rejoins are automatic). The future completes with the first join's
   * outcome: {@code OK}, {@code ERROR} (the server refused; a rejoin is still scheduled — {@link
   * #leave} to stop it) or {@code TIMEOUT}.
   */
  public CompletableFuture<Reply> join(Duration timeout) {
    socket.onLoop(() -> {
      if (joinRequested) {
        return; // rejoins are automatic; a second join() just returns the first join's outcome
      }
      joinRequested = true;
      joinTimeout = timeout;
      state = ChannelState.JOINING;
      if (socket.connectedOnLoop()) {
        sendJoin();
      }
    });
    return firstJoin;
  }

  /** A push with the socket's default timeout. */
  public CompletableFuture<Reply> push(String event, Object payload) {
    return push(event, payload, socket.options().defaultPushTimeout());
  }

  /**
   * Sends {@code event} with {@code payload} (any Jackson-writable value; null = {@code {}}); call
   * {@link #join} first (a push on a channel that is closed, leaving or never joined ends {@code
   * DISCONNECTED} at once). The payload is serialised on the calling thread (a large one only counted,
   * and streamed into the socket when sent: {@link EncodedPayload}); a frame larger than {@link
   * SocketOptions#maxOutboundFrameBytes()} is not sent (Lightning would drop the whole socket) and
   * the push ends {@code ERROR} with a message saying so.
   */
  public CompletableFuture<Reply> push(String event, Object payload, Duration timeout) {
    Push push = new Push(event, EncodedPayload.of(payload));
    long frameBytes = push.payload.utf8Length() + FRAME_OVERHEAD_BYTES + topic.length() + event.length();
    if (frameBytes > socket.options().maxOutboundFrameBytes()) {
      push.result.complete(Reply.error(com.fasterxml.jackson.databind.node.TextNode.valueOf(
          "the " + event + " frame would be " + frameBytes + " bytes, over the server's limit of "
              + socket.options().maxOutboundFrameBytes() + " bytes; it was not sent")));
      return push.result;
    }
    socket.onLoop(() -> {
      if (state == ChannelState.CLOSED || state == ChannelState.LEAVING) {
        complete(push, Reply.disconnected("channel " + topic + " is not joined (" + state + ")"));
        return;
      }
      push.timer = socket.schedule(timeout, () -> timedOut(push));
      if (state == ChannelState.JOINED && socket.connectedOnLoop()) {
        sendPush(push);
      } else if (buffer.size() >= socket.options().maxBufferedPushes()) {
        complete(push, Reply.error(com.fasterxml.jackson.databind.node.TextNode.valueOf(
            "push buffer of " + topic + " is full (" + buffer.size() + " pushes)")));
      } else {
        buffer.add(push);
      }
    });
    return push.result;
  }

  /**
   * Leaves: sends {@code phx_leave} (if connected) and completes with its reply or a timeout;
   * either way the channel is closed, stops rejoining, and its unsent pushes end DISCONNECTED.
   */
  public CompletableFuture<Reply> leave(Duration timeout) {
    CompletableFuture<Reply> done = new CompletableFuture<>();
    socket.onLoop(() -> {
      cancelTimers();
      boolean wasOpen = state == ChannelState.JOINED || state == ChannelState.JOINING;
      if (wasOpen && socket.connectedOnLoop()) {
        state = ChannelState.LEAVING;
        String ref = socket.makeRef();
        leaves.put(ref, done);
        socket.send(FrameCodec.encode(joinRef, ref, topic, "phx_leave", null));
        socket.schedule(timeout, () -> finishLeave(ref, Reply.timeout()));
      } else {
        closeLocally("left channel " + topic);
        socket.onDispatch(() -> done.complete(Reply.ok(null)));
      }
    });
    return done;
  }

  // ---------------------------------------------------------------- event loop (package-private)

  void socketOpened() {
    if (joinRequested && (state == ChannelState.ERRORED || state == ChannelState.JOINING)) {
      cancel(rejoinTimer);
      rejoinTries = 0;
      sendJoin();
    }
  }

  void socketClosed() {
    failInFlight("the socket disconnected");
    cancel(rejoinTimer);
    if (state == ChannelState.LEAVING) {
      List.copyOf(leaves.keySet()).forEach(ref -> finishLeave(ref, Reply.disconnected("socket closed")));
    } else if (state == ChannelState.JOINED || state == ChannelState.JOINING) {
      state = ChannelState.ERRORED; // the join timer, if any, keeps running as in phoenix.js
    }
  }

  /** Closes this channel for good (socket closed, or replaced by a new channel on the topic). */
  void abandon(String why) {
    cancelTimers();
    List.copyOf(leaves.keySet()).forEach(ref -> finishLeave(ref, Reply.disconnected(why)));
    closeLocally(why);
  }

  void received(Frame frame) {
    if (frame.joinRef() != null && !frame.joinRef().equals(joinRef)) {
      frame.discardBody();
      return; // a message for an earlier join of this topic
    }
    String event = frame.event();
    if ("phx_reply".equals(event) || event.startsWith("chan_reply_")) {
      String ref = frame.ref() != null && !frame.ref().isEmpty()
          ? frame.ref()
          : event.substring("chan_reply_".length());
      if (!replied(ref, Reply.fromFrame(frame))) {
        frame.discardBody(); // only a push's reply hands its body file on
      }
      return;
    }
    frame.discardBody();
    if ("phx_error".equals(event)) {
      serverError();
    } else if ("phx_close".equals(event)) {
      closeLocally("channel " + topic + " closed by the server");
    } else {
      List<Consumer<JsonNode>> list = handlers.get(event);
      if (list == null || list.isEmpty()) {
        LOG.log(System.Logger.Level.DEBUG, "no handler for {0} on {1}", event, topic);
        return;
      }
      JsonNode payload = Payloads.lenient(frame.payload());
      for (Consumer<JsonNode> handler : list) {
        socket.onDispatch(() -> handler.accept(payload));
      }
    }
  }

  // ---------------------------------------------------------------- internals (event loop)

  private void sendJoin() {
    cancel(joinTimer);
    state = ChannelState.JOINING;
    joinRef = socket.makeRef();
    String ref = joinRef;
    socket.send(FrameCodec.encode(joinRef, ref, topic, "phx_join", params));
    joinTimer = socket.schedule(joinTimeout, () -> joinTimedOut(ref));
  }

  private void joinTimedOut(String ref) {
    if (!ref.equals(joinRef) || state != ChannelState.JOINING && state != ChannelState.ERRORED) {
      return;
    }
    LOG.log(System.Logger.Level.DEBUG, "join of {0} timed out", topic);
    if (socket.connectedOnLoop()) {
      socket.send(FrameCodec.encode(joinRef, socket.makeRef(), topic, "phx_leave", null));
    }
    state = ChannelState.ERRORED;
    completeFirstJoin(Reply.timeout());
    scheduleRejoin();
  }

  /** Hands the reply to its join, leave or push; true when it went to a push. */
  private boolean replied(String ref, Reply reply) {
    if (ref.equals(joinRef) && state == ChannelState.JOINING) {
      cancel(joinTimer);
      if (reply.isOk()) {
        state = ChannelState.JOINED;
        rejoinTries = 0;
        completeFirstJoin(reply);
        for (Consumer<Reply> listener : joinListeners) {
          socket.onDispatch(() -> listener.accept(reply));
        }
        flushBuffer();
      } else {
        LOG.log(System.Logger.Level.INFO, "join of {0} refused: {1}", topic, reply.response());
        state = ChannelState.ERRORED;
        completeFirstJoin(reply);
        scheduleRejoin();
      }
      return false;
    }
    if (leaves.containsKey(ref)) {
      finishLeave(ref, reply);
      return false;
    }
    Push push = inFlight.remove(ref);
    if (push != null) {
      complete(push, reply);
      return true;
    }
    return false;
  }

  private void serverError() {
    if (state == ChannelState.LEAVING || state == ChannelState.CLOSED) {
      return;
    }
    cancel(joinTimer);
    failInFlight("channel " + topic + " errored on the server");
    state = ChannelState.ERRORED;
    scheduleRejoin();
  }

  private void scheduleRejoin() {
    cancel(rejoinTimer);
    if (!socket.connectedOnLoop()) {
      return; // socketOpened() rejoins
    }
    rejoinTries++;
    rejoinTimer = socket.schedule(socket.options().rejoinDelay().apply(rejoinTries), () -> {
      if (state == ChannelState.ERRORED && socket.connectedOnLoop()) {
        sendJoin();
      }
    });
  }

  private void flushBuffer() {
    while (!buffer.isEmpty() && state == ChannelState.JOINED) {
      sendPush(buffer.poll());
    }
  }

  private void sendPush(Push push) {
    push.ref = socket.makeRef();
    inFlight.put(push.ref, push);
    if (push.payload.isStreamed()) {
      String join = joinRef;
      String ref = push.ref;
      Object payload = push.payload.streamed();
      socket.sendStreamed(out -> FrameCodec.encodeTo(out, join, ref, topic, push.event, payload));
    } else {
      socket.send(FrameCodec.encodeWithPayloadJson(joinRef, push.ref, topic, push.event, push.payload.json()));
    }
  }

  private void timedOut(Push push) {
    if (push.result.isDone()) {
      return;
    }
    buffer.remove(push);
    if (push.ref != null) {
      inFlight.remove(push.ref);
    }
    complete(push, Reply.timeout());
  }

  private void failInFlight(String why) {
    List<Push> pushes = new ArrayList<>(inFlight.values());
    inFlight.clear();
    for (Push push : pushes) {
      complete(push, Reply.disconnected(why));
    }
  }

  private void finishLeave(String ref, Reply reply) {
    CompletableFuture<Reply> done = leaves.remove(ref);
    if (done == null) {
      return;
    }
    closeLocally("left channel " + topic);
    socket.onDispatch(() -> done.complete(reply));
  }

  private void closeLocally(String why) {
    cancelTimers();
    state = ChannelState.CLOSED;
    failInFlight(why);
    while (!buffer.isEmpty()) {
      complete(buffer.poll(), Reply.disconnected(why));
    }
    completeFirstJoin(Reply.disconnected(why)); // a join still waiting for its reply never gets one
    socket.removeChannel(this);
  }

  private void completeFirstJoin(Reply reply) {
    if (!firstJoin.isDone()) {
      socket.onDispatch(() -> firstJoin.complete(reply));
    }
  }

  private void complete(Push push, Reply reply) {
    cancel(push.timer);
    socket.onDispatch(() -> push.result.complete(reply));
  }

  private void cancelTimers() {
    cancel(joinTimer);
    cancel(rejoinTimer);
  }

  private static void cancel(ScheduledFuture<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }

  private static final class Push {
    final String event;
    final EncodedPayload payload;
    final CompletableFuture<Reply> result = new CompletableFuture<>();
    String ref;
    ScheduledFuture<?> timer;

    Push(String event, EncodedPayload payload) {
      this.event = event;
      this.payload = payload;
    }
  }
}
