package dev.kiln.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.lightning.phoenix.ChannelState;
import dev.kiln.lightning.phoenix.PhoenixChannel;
import dev.kiln.lightning.phoenix.PhoenixSocket;
import dev.kiln.lightning.phoenix.Reply;
import dev.kiln.lightning.protocol.Events;
import dev.kiln.lightning.protocol.RunJoin;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * A run's channel on the worker socket. A push that the socket lost (in flight when it dropped,
 * or timed out while it was down, or in flight when the server errored the channel) is sent again
 * once the channel has rejoined, so a dropped connection delays a run's events but never loses
 * them. A channel the server closed ({@code phx_close}) while the run still needs it is opened
 * again with the run token and the push is sent on the new one. Lightning's answers ({@code ok},
 * {@code error}) and timeouts on a live connection end the push, as in the reference.
 */
final class ChannelRunTopic implements RunTopic {
  private static final Logger LOG = Logger.getLogger(ChannelRunTopic.class.getName());
  /** How often one push may reopen a channel the server keeps closing before it gives up. */
  static final int REOPENS_PER_PUSH = 3;

  private final PhoenixSocket socket;
  private final String runId;
  private final RunJoin joinPayload;
  private final Duration timeout;
  private final Runnable resent;
  private volatile PhoenixChannel channel;
  private volatile boolean left;

  /** @param resent called each time a push is sent again (counted by {@link WorkerMetrics}) */
  ChannelRunTopic(PhoenixSocket socket, String runId, String runToken, Duration timeout, Runnable resent) {
    this.socket = socket;
    this.runId = runId;
    this.joinPayload = new RunJoin(runToken);
    this.timeout = timeout;
    this.resent = resent;
    this.channel = socket.channel(Events.runTopic(runId), joinPayload);
  }

  @Override
  public CompletableFuture<Reply> join() {
    return channel.join(timeout);
  }

  @Override
  public CompletableFuture<Reply> push(String event, JsonNode payload) {
    return push(event, payload, REOPENS_PER_PUSH);
  }

  private CompletableFuture<Reply> push(String event, JsonNode payload, int reopens) {
    PhoenixChannel current = channel;
    return current.push(event, payload, timeout).thenCompose(reply -> {
      if (lost(current, reply)) {
        resent.run();
        return push(event, payload, reopens);
      }
      if (closedByServer(current, reply) && reopens > 0) {
        LOG.warning("run " + runId + ": the server closed the run channel while " + event
            + " was unanswered; joining it again with the run token to send it again");
        reopen(current);
        resent.run();
        return push(event, payload, reopens - 1);
      }
      return CompletableFuture.completedFuture(reply);
    });
  }

  /** Lost by the socket, on a channel that rejoins by itself: send it again on the same channel. */
  private boolean lost(PhoenixChannel channel, Reply reply) {
    ChannelState state = channel.state();
    if (state == ChannelState.CLOSED || state == ChannelState.LEAVING) {
      return false;
    }
    return reply.status() == Reply.Status.DISCONNECTED
        || (reply.status() == Reply.Status.TIMEOUT && !socket.isConnected());
  }

  /**
   * The channel is closed and this run did not leave it: the server sent {@code phx_close}. (A
   * socket that was closed for good is not connected; its channels are not reopened.)
   */
  private boolean closedByServer(PhoenixChannel current, Reply reply) {
    return reply.status() == Reply.Status.DISCONNECTED && current.state() == ChannelState.CLOSED && !left
        && socket.isConnected();
  }

  /** A new channel on the topic, joined with the run token; once, however many pushes saw the close. */
  private synchronized void reopen(PhoenixChannel closed) {
    if (channel != closed || left) {
      return;
    }
    PhoenixChannel fresh = socket.channel(Events.runTopic(runId), joinPayload);
    fresh.join(timeout);
    channel = fresh;
  }

  @Override
  public synchronized void leave() {
    left = true;
    channel.leave(timeout);
  }
}
