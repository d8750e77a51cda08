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
    this.classpath = classpath;
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

  /** The command line of a run process with the given memory limit. */
  List<String> command(int memoryLimitMb) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    // The Java heap holds the compiler's work: it gets the run's limit. An exhausted heap ends
    // the process at once with a recognisable message instead of limping on.
    command.add("-Xmx" + memoryLimitMb + "m");
    command.add("-XX:+ExitOnOutOfMemoryError");
    // HotSpot's own messages (that OOM exit among them) go to stdout by default: the frame stream.
    command.add("-XX:+DisplayVMOutputToStderr");
    // One run per process on a shared machine: the smallest collector and no parallel GC threads.
    command.add("-XX:+UseSerialGC");
    command.add("-Xshare:auto");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.add("--memory-mb");
    command.add(Integer.toString(memoryLimitMb));
    return command;
  }

  Process start(int memoryLimitMb) throws IOException {
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
    return builder.start();
  }
}
