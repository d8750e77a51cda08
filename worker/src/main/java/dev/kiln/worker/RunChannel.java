package dev.kiln.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.lightning.phoenix.Reply;
import java.util.concurrent.CompletableFuture;

/** Where a run's ordered events go: the joined {@code run:<id>} channel. */
interface RunChannel {
  /**
   * Pushes one event; the future completes with Lightning's {@code ok} or {@code error} reply, or a
   * {@code timeout}. A push the socket lost is the channel's to resend ({@link ChannelRunTopic}).
   */
  CompletableFuture<Reply> send(String event, ObjectNode payload);
}
