package dev.kiln.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kiln worker} as a child process (this JVM's class path), its output kept line by line,
 * its HTTP port read from its start-up line.
 */
final class WorkerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on http://0\\.0\\.0\\.0:(\\d+)");

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

  private record Waiter(String text, CompletableFuture<Void> seen) {}

  private WorkerProcess(Process process) {
    this.process = process;
    Thread.ofPlatform().daemon().name("worker-output-" + process.pid()).start(this::readOutput);
  }

  static WorkerProcess start(Path repoDir, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "worker", "--port", "0", "--repo-dir", repoDir.toString(), "--log", "info"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("WORKER_"));
    return new WorkerProcess(builder.start());
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.add(line);
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
        for (Waiter w : waiters) {
          if (line.contains(w.text())) {
            w.seen().complete(null);
          }
        }
      }
    } catch (IOException e) {
      // the process ended
    } finally {
      port.completeExceptionally(new IllegalStateException("the worker exited:\n" + output()));
      waiters.forEach(w -> w.seen().completeExceptionally(new IllegalStateException("the worker exited:\n" + output())));
    }
  }

  int port() {
    return port.orTimeout(60, TimeUnit.SECONDS).join();
  }

  /** Waits until a line containing {@code text} was printed (from now on or earlier). */
  void awaitLine(String text, Duration timeout) {
    CompletableFuture<Void> seen = new CompletableFuture<>();
    waiters.add(new Waiter(text, seen));
    if (lines.stream().anyMatch(l -> l.contains(text))) {
      seen.complete(null);
    }
    seen.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  String output() {
    return String.join("\n", lines);
  }

  long pid() {
    return process.pid();
  }

  void sigterm() {
    process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
  }

  /** The exit code, waiting at most {@code timeout}. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the worker did not exit within " + timeout + ":\n" + output());
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
