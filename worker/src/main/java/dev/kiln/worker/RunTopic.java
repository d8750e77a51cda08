package dev.kiln.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.lightning.phoenix.Reply;
import java.util.concurrent.CompletableFuture;

/** One {@code run:<id>} channel as a run sees it: join with the run token, push, leave. */
interface RunTopic {
  CompletableFuture<Reply> join();

  /** A push; the future always completes, with an {@code ok}, {@code error} or {@code timeout} reply. */
  CompletableFuture<Reply> push(String event, JsonNode payload);

  void leave();
}
