package dev.kiln.engine;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts run processes: {@code java -Xmx<limit>m ... -cp <classpath>
 * dev.kiln.runtime.RunProcessMain --memory-mb <limit>} with the JDK and class path of this JVM.
 * The process gets almost no environment: the worker's variables (tokens, keys, the worker
 * secret) are not the job's business. With a {@link RunProcessSandbox} every process is locked
 * down: its own empty private folder (working directory and {@code TMPDIR}, deleted when the
 * process ends), Node's permission model, optionally another user.
 */
public final class RunProcessLauncher {
  static final String MAIN_CLASS = "dev.kiln.runtime.RunProcessMain";
  private static final List<String> PASSED_ENV = List.of("HOME", "TMPDIR", "LANG", "LC_ALL", "TZ");

  private final Path java;
  private final String classpath;
  private final String mainClass;
  private final RunProcessSandbox sandbox;

  public RunProcessLauncher(Path javaHome, String classpath) {
    this(javaHome, classpath, MAIN_CLASS, null);
  }

  /** A launcher of another main class that speaks the protocol (tests of misbehaving processes). */
  RunProcessLauncher(Path javaHome, String classpath, String mainClass) {
    this(javaHome, classpath, mainClass, null);
  }

  private RunProcessLauncher(Path javaHome, String classpath, String mainClass, RunProcessSandbox sandbox) {
    this.java = javaHome.resolve("bin").resolve("java");
    this.classpath = absolute(classpath);
    this.mainClass = mainClass;
    this.sandbox = sandbox;
  }

  /** This launcher with every process locked down by {@code sandbox}. */
  public RunProcessLauncher lockedDown(RunProcessSandbox newSandbox) {
    return new RunProcessLauncher(java.getParent().getParent(), classpath, mainClass, newSandbox);
  }

  /** The JDK and class path of the running JVM (the run process' classes come with the engine). */
  public static RunProcessLauncher ofCurrentJvm() {
    return ofCurrentJvm(MAIN_CLASS);
  }

  static RunProcessLauncher ofCurrentJvm(String mainClass) {
    return new RunProcessLauncher(
        Path.of(System.getProperty("java.home")), System.getProperty("java.class.path"), mainClass);
  }

  /** The class path with every entry absolute: run processes start in another directory. */
  static String absolute(String classpath) {
    List<String> entries = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /**
   * The command line of a run process with the given memory limit that imports the given adaptor
   * folders before it is ready ({@code runFolder}: null unless sandboxed).
   */
  List<String> command(int memoryLimitMb, List<Path> preloads, Path runFolder) throws IOException {
    List<String> command = new ArrayList<>();
    if (sandbox != null) {
      command.addAll(sandbox.commandPrefix());
    }
    command.add(java.toString());
    // The Java heap holds the compiler's work: it gets the run's limit. An exhausted heap ends
    // the process at once with a recognisable message instead of limping on.
    command.add("-Xmx" + memoryLimitMb + "m");
    // The JVM's default initial heap is 1/64 of the machine's memory: its young generation gets
    // pages touched (resident) long before a collection. Grown on demand instead: ~15 MB less RSS
    // per ready process (bench/e2e/README.md).
    command.add("-Xms8m");
    command.add("-XX:+ExitOnOutOfMemoryError");
    // HotSpot's own messages (that OOM exit among them) and its unified logging go to stdout by
    // default: that is the frame stream.
    command.add("-XX:+DisplayVMOutputToStderr");
    command.add("-Xlog:disable");
    command.add("-Xlog:all=warning:stderr");
    // One run at a time per process on a shared machine: the smallest collector, no parallel GC threads.
    command.add("-XX:+UseSerialGC");
    // C1 only: C2 cost more CPU than it saved (bench/run, when a process served one run: ~25% less
    // CPU per run; compiling a 10 MB mapping is ~15% slower). A process now serves up to 100 runs,
    // but a run's CPU is mostly Node's; the Java side (frames, compiling from the cache) is small.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:-UsePerfData");
    command.add("-Xshare:auto");
    command.add("--enable-native-access=ALL-UNNAMED");
    if (runFolder != null) {
      command.add("-Djava.io.tmpdir=" + runFolder);
      command.addAll(sandbox.jvmOptions());
    }
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.add("--memory-mb");
    command.add(Integer.toString(memoryLimitMb));
    for (Path preload : preloads) {
      command.add("--preload");
      command.add(preload.toString());
    }
    if (runFolder != null) {
      command.addAll(sandbox.processArguments(runFolder));
    }
    return command;
  }

  LaunchedProcess start(int memoryLimitMb, List<Path> preloads) throws IOException {
    Path runFolder = sandbox == null ? null : sandbox.createRunFolder();
    ProcessBuilder builder = new ProcessBuilder(command(memoryLimitMb, preloads, runFolder));
    Map<String, String> env = builder.environment();
    Map<String, String> parent = Map.copyOf(env);
    env.clear();
    for (String name : PASSED_ENV) {
      if (parent.containsKey(name)) {
        env.put(name, parent.get(name));
      }
    }
    if (runFolder != null) {
      env.put("TMPDIR", runFolder.toString());
    }
    // glibc's default of 8 malloc arenas per core for the JVM's, V8's and Node's threads: ~5-8 MB
    // more RSS per process than 2 arenas, for no measurable speed
    env.put("MALLOC_ARENA_MAX", "2");
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.redirectOutput(ProcessBuilder.Redirect.PIPE);
    builder.redirectError(ProcessBuilder.Redirect.PIPE);
    builder.directory(runFolder != null ? runFolder.toFile() : new File(System.getProperty("java.io.tmpdir")));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      if (runFolder != null) {
        RunProcessSandbox.deleteRunFolder(runFolder);
      }
      throw e;
    }
    if (runFolder != null) {
      process.onExit().thenRun(() -> RunProcessSandbox.deleteRunFolder(runFolder));
    }
    return new LaunchedProcess(process,
        new StderrTail(process.getErrorStream(), "kiln-run-stderr-" + process.pid()), memoryLimitMb);
  }
}
