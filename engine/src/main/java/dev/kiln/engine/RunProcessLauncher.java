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
 * The process gets almost no environment: the worker's variables (tokens, keys) are not the
 * job's business.
 */
public final class RunProcessLauncher {
  static final String MAIN_CLASS = "dev.kiln.runtime.RunProcessMain";
  private static final List<String> PASSED_ENV = List.of("HOME", "TMPDIR", "LANG", "LC_ALL", "TZ");

  private final Path java;
  private final String classpath;
  private final String mainClass;

  public RunProcessLauncher(Path javaHome, String classpath) {
    this(javaHome, classpath, MAIN_CLASS);
  }

  /** A launcher of another main class that speaks the protocol (tests of misbehaving processes). */
  RunProcessLauncher(Path javaHome, String classpath, String mainClass) {
    this.java = javaHome.resolve("bin").resolve("java");
    this.classpath = absolute(classpath);
    this.mainClass = mainClass;
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

  /** The command line of a run process with the given memory limit. */
  List<String> command(int memoryLimitMb) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    // The Java heap holds the compiler's work: it gets the run's limit. An exhausted heap ends
    // the process at once with a recognisable message instead of limping on.
    command.add("-Xmx" + memoryLimitMb + "m");
    command.add("-XX:+ExitOnOutOfMemoryError");
    // HotSpot's own messages (that OOM exit among them) and its unified logging go to stdout by
    // default: that is the frame stream.
    command.add("-XX:+DisplayVMOutputToStderr");
    command.add("-Xlog:disable");
    command.add("-Xlog:all=warning:stderr");
    // One run per process on a shared machine: the smallest collector and no parallel GC threads.
    command.add("-XX:+UseSerialGC");
    // A run process lives for one run: C2 costs more CPU than it saves (bench/run: ~25% less CPU
    // per run; compiling a 10 MB mapping is ~15% slower).
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:-UsePerfData");
    command.add("-Xshare:auto");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.add("--memory-mb");
    command.add(Integer.toString(memoryLimitMb));
    return command;
  }

  LaunchedProcess start(int memoryLimitMb) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command(memoryLimitMb));
    Map<String, String> env = builder.environment();
    Map<String, String> parent = Map.copyOf(env);
    env.clear();
    for (String name : PASSED_ENV) {
      if (parent.containsKey(name)) {
        env.put(name, parent.get(name));
      }
    }
    parent.forEach((k, v) -> {
      if (k.startsWith("KILN_")) {
        env.put(k, v);
      }
    });
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.redirectOutput(ProcessBuilder.Redirect.PIPE);
    builder.redirectError(ProcessBuilder.Redirect.PIPE);
    builder.directory(new File(System.getProperty("java.io.tmpdir")));
    Process process = builder.start();
    return new LaunchedProcess(process,
        new StderrTail(process.getErrorStream(), "kiln-run-stderr-" + process.pid()), memoryLimitMb);
  }
}
