package dev.kiln.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CompletableFuture;

/** Where a run's ordered events go: the joined {@code run:<id>} channel. */
interface RunChannel {
  /**
   * Pushes one event. The future completes when Lightning replied {@code ok}, and exceptionally
   * with the reason ({@code [<event>] <response>} or {@code [<event>] timeout}) otherwise.
   */
  CompletableFuture<Void> send(String event, ObjectNode payload);
}
