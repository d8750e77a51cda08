package dev.kiln.devserver;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Tells live viewers of a run (SSE streams) that new events were stored for it. */
final class RunEventBus {
  private final Map<String, Set<Runnable>> listeners = new ConcurrentHashMap<>();

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
      set.forEach(Runnable::run);
    }
  }
}
