package dev.kiln.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * Drains a run process' stderr on its own thread, keeps its last lines for error messages and
 * notices the out-of-memory messages of V8 and of the JVM.
 */
final class StderrTail {
  static final String V8_OOM = "JavaScript heap out of memory";
  static final String JAVA_OOM = "java.lang.OutOfMemoryError";
  private static final int MAX_LINES = 30;
  private static final int MAX_LINE_CHARS = 500;

  private final Deque<String> lines = new ArrayDeque<>();
  private final Thread thread;
  private volatile boolean v8OutOfMemory;
  private volatile boolean javaOutOfMemory;

  StderrTail(InputStream stderr, String name) {
    thread = Thread.ofPlatform().daemon().name(name).start(() -> drain(stderr));
  }

  private void drain(InputStream stderr) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(stderr, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.contains(V8_OOM)) {
          v8OutOfMemory = true;
        }
        if (line.contains(JAVA_OOM)) {
          javaOutOfMemory = true;
        }
        synchronized (lines) {
          if (lines.size() == MAX_LINES) {
            lines.removeFirst();
          }
          lines.addLast(line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "…" : line);
        }
      }
    } catch (IOException e) {
      // the process is gone; what was read is kept
    }
  }

  /** Waits (briefly) until the stream is fully read, so the flags and tail are complete. */
  void awaitEnd(long millis) {
    try {
      thread.join(TimeUnit.MILLISECONDS.toMillis(millis));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean v8OutOfMemory() {
    return v8OutOfMemory;
  }

  boolean javaOutOfMemory() {
    return javaOutOfMemory;
  }

  /** The last lines, joined with newlines ("" when there were none). */
  String text() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }
}
