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

/**
 * A run's channel on the worker socket. A push that the socket lost (in flight when it dropped,
 * or timed out while it was down) is sent again once the channel has rejoined, so a dropped
 * connection delays a run's events but never loses them. Lightning's answers ({@code ok},
 * {@code error}) and timeouts on a live connection end the push, as in the reference.
 */
final class ChannelRunTopic implements RunTopic {
  private final PhoenixSocket socket;
  private final PhoenixChannel channel;
  private final Duration timeout;

  ChannelRunTopic(PhoenixSocket socket, String runId, String runToken, Duration timeout) {
    this.socket = socket;
    this.channel = socket.channel(Events.runTopic(runId), new RunJoin(runToken));
    this.timeout = timeout;
  }

  @Override
  public CompletableFuture<Reply> join() {
    return channel.join(timeout);
  }

  @Override
  public CompletableFuture<Reply> push(String event, JsonNode payload) {
    return channel.push(event, payload, timeout).thenCompose(reply -> lost(reply) ? push(event, payload)
        : CompletableFuture.completedFuture(reply));
  }

  private boolean lost(Reply reply) {
    if (channel.state() == ChannelState.CLOSED || channel.state() == ChannelState.LEAVING) {
      return false;
    }
    return reply.status() == Reply.Status.DISCONNECTED
        || (reply.status() == Reply.Status.TIMEOUT && !socket.isConnected());
  }

  @Override
  public void leave() {
    channel.leave(timeout);
  }
}
