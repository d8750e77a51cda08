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
 * A {@code kiln} command as a child process (this JVM's class path), its output kept line by
 * line; for {@code kiln worker}, its HTTP port read from its start-up line.
 */
final class KilnProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on http://0\\.0\\.0\\.0:(\\d+)");

  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

  private record Waiter(Pattern pattern, CompletableFuture<String> seen) {
    void check(String line) {
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        seen.complete(m.groupCount() > 0 ? m.group(1) : m.group());
      }
    }
  }

  private KilnProcess(Process process) {
    this.process = process;
    Thread.ofPlatform().daemon().name("worker-output-" + process.pid()).start(this::readOutput);
  }

  /**
   * {@code kiln worker --port 0 --repo-dir <repoDir> --log info <args>}, with a fresh {@code --data-dir}
   * unless {@code args} name one (run journals must not leak from one test's worker into another's).
   */
  static KilnProcess start(Path repoDir, String... args) throws IOException {
    return startWithJvmOptions(List.of(), repoDir, args);
  }

  /** As {@link #start}, with JVM options after the worker's own ({@code -Xmx48m} wins over the file's heap cap). */
  static KilnProcess startWithJvmOptions(List<String> jvmOptions, Path repoDir, String... args) throws IOException {
    List<String> kiln = new ArrayList<>(List.of("worker", "--port", "0", "--repo-dir", repoDir.toString(), "--log", "info"));
    kiln.addAll(List.of(args));
    if (!kiln.contains("--data-dir")) {
      kiln.addAll(List.of("--data-dir", java.nio.file.Files.createTempDirectory("kiln-worker-data").toString()));
    }
    return kiln(jvmOptions, kiln);
  }

  /**
   * {@code kiln <args>}; a worker gets the JVM options {@code ./kiln} gives it ({@code
   * worker-jvm.options} of this module: its heap cap among them, so the fault suite checks that
   * large states fit in it).
   */
  static KilnProcess kiln(List<String> args) throws IOException {
    return kiln(List.of(), args);
  }

  private static KilnProcess kiln(List<String> moreJvmOptions, List<String> args) throws IOException {
    String jvmOptions = args.getFirst().equals("worker") ? "@" + Path.of("worker-jvm.options").toAbsolutePath() : "-Xmx256m";
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), jvmOptions));
    command.addAll(moreJvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("WORKER_"));
    return new KilnProcess(builder.start());
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
          w.check(line);
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
    awaitMatch(Pattern.compile(Pattern.quote(text)), timeout);
  }

  /** Waits for a line matching {@code pattern}; its first group (or the whole match). */
  String awaitMatch(Pattern pattern, Duration timeout) {
    Waiter waiter = new Waiter(pattern, new CompletableFuture<>());
    waiters.add(waiter);
    lines.forEach(waiter::check);
    if (!process.isAlive() && !waiter.seen().isDone()) {
      waiter.seen().completeExceptionally(new IllegalStateException("kiln exited:\n" + output()));
    }
    return waiter.seen().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
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
