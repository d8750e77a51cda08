package dev.kiln.devserver;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Tells live viewers of a run (SSE streams) that new events were stored for it. Listeners run on
 * their own virtual threads, so a slow HTTP client never holds up the worker socket that stored
 * the event.
 */
final class RunEventBus implements AutoCloseable {
  private final Map<String, Set<Runnable>> listeners = new ConcurrentHashMap<>();
  private final ExecutorService delivery = Executors.newVirtualThreadPerTaskExecutor();

  void subscribe(String runId, Runnable listener) {
    listeners.computeIfAbsent(runId, id -> ConcurrentHashMap.newKeySet()).add(listener);
  }

  void unsubscribe(String runId, Runnable listener) {
    listeners.computeIfPresent(runId, (id, set) -> {
      set.remove(listener);
      return set.isEmpty() ? null : set;
    });
  }

  void publish(String runId) {
    Set<Runnable> set = listeners.get(runId);
    if (set != null) {
      set.forEach(delivery::execute);
    }
  }

  @Override
  public void close() {
    delivery.shutdownNow();
  }
}
