package dev.kiln.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps a run's events for assertions. */
final class RecordingListener implements RunListener {
  final List<RunEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void onEvent(RunEvent event) {
    events.add(event);
  }

  List<String> types() {
    return events.stream().map(RunEvent::type).toList();
  }

  List<RunEvent> ofType(String type) {
    return events.stream().filter(e -> e.type().equals(type)).toList();
  }

  RunEvent last() {
    return events.get(events.size() - 1);
  }

  /** The log lines' messages, as one text. */
  String logText() {
    StringBuilder text = new StringBuilder();
    for (RunEvent e : ofType(RunEvent.LOG)) {
      text.append(e.meta().path("message")).append('\n');
    }
    return text.toString();
  }

  static JsonNode json(String text) {
    try {
      return RunSupervisor.JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
