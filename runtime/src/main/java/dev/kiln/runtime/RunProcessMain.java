package dev.kiln.runtime;

import com.caoccao.javet.interop.loader.JavetLibLoader;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.compiler.CompileOptions;
import dev.kiln.compiler.JobCompiler;
import dev.kiln.runtime.protocol.Frame;
import dev.kiln.runtime.protocol.FrameReader;
import dev.kiln.runtime.protocol.FrameType;
import dev.kiln.runtime.protocol.FrameWriter;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The run process: {@code java -Xmx<limit>m -cp <cp> dev.kiln.runtime.RunProcessMain --memory-mb <limit>}.
 * Creates the Node runtime, writes {@code ready}, reads a {@code run} frame from stdin, runs it and
 * writes its frames to stdout. stdout carries nothing but frames: it is captured once at start,
 * and {@code System.out} and Node's {@code process.stdout} are redirected to stderr.
 *
 * <p>A run frame whose meta has {@code recycle: {preload: [<adaptor folder>...]}} asks the process
 * to serve another run once this one has ended with {@code workflow-complete}: the run's Node
 * runtime is closed (whatever its code left open is abandoned), the run folder emptied, a fresh
 * runtime created with the process' environment and working directory as they were at start, the
 * given adaptors imported into it (with the lazy dependencies the run used evaluated), and
 * {@code ready} written again. Any other end of a run (a
 * {@code workflow-error}, or no {@code recycle}) ends the process.
 */
public final class RunProcessMain {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunProcessMain() {}

  public static void main(String[] args) throws IOException {
    FrameWriter out = new FrameWriter(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
    PrintStream stderr = System.err;
    System.setOut(stderr);
    ProcessArgs processArgs;
    try {
      processArgs = ProcessArgs.parse(args);
    } catch (IllegalArgumentException e) {
      stderr.println("RunProcessMain: " + e.getMessage());
      System.exit(2);
      return;
    }
    ScrubbingFrameSink frames = new ScrubbingFrameSink(frame -> {
      try {
        out.write(frame);
      } catch (IOException e) {
        throw new UncheckedIOException("the parent closed the frame stream", e);
      }
    });
    NodeHost.configureProcess(processArgs.heapLimitMb(), processArgs.permissions());
    FrameReader in = new FrameReader(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
    ProcessBaseline baseline = ProcessBaseline.capture();
    warmUpCompiler(stderr);
    // one compiler for every run the process serves: its compile cache is opened before ready
    JobStepCompiler compiler = JobStepCompiler.prepared();
    // never closed when the process ends: it halts right after its last run, abandoning whatever
    // job code left open
    NodeHost host = freshHost(frames, processArgs.preloads(), "[]", stderr);
    while (true) {
      JsonNode recycle = serve(host, compiler, in, frames, stderr);
      if (recycle == null) {
        exit(0);
      }
      // what the run used of its adaptors' lazy dependencies is evaluated for the next one ahead
      String used = host.evaluatedDependencies();
      // environment and working directory back to the process' start, before the run folder is
      // emptied: a working directory that no longer exists would break the next runtime's bootstrap
      host.restoreProcess(baseline);
      host.close();
      if (processArgs.permissions() != null) {
        FolderTree.deleteContents(processArgs.permissions().workDir());
      }
      List<String> preloads = new ArrayList<>();
      recycle.path("preload").forEach(folder -> preloads.add(folder.asText()));
      host = freshHost(frames, preloads, used, stderr);
    }
  }

  /**
   * Writes ready, reads and runs one run frame; returns its {@code recycle} request when the
   * process is to serve another run, else null (the process exits).
   */
  private static JsonNode serve(NodeHost host, JobStepCompiler compiler, FrameReader in,
      ScrubbingFrameSink frames, PrintStream stderr) throws IOException {
    frames.send(Frame.of(FrameType.READY, JSON.createObjectNode()
        .put("pid", ProcessHandle.current().pid())
        .set("versions", JSON.createObjectNode()
            .put("node", host.nodeVersion())
            .put("javet", JavetLibLoader.LIB_VERSION)
            .put("runtime", version()))
        .toString()));
    Frame run = in.read();
    if (run == null) {
      stderr.println("RunProcessMain: stdin closed before a run frame arrived; exiting");
      return null;
    }
    if (!FrameType.RUN.equals(run.type())) {
      stderr.println("RunProcessMain: expected a 'run' frame, got " + run);
      exit(2);
    }
    JsonNode meta;
    try {
      meta = JSON.readTree(run.metaJson());
    } catch (JsonProcessingException e) {
      frames.send(Frame.of(FrameType.WORKFLOW_ERROR, JSON.createObjectNode()
          .put("type", "ExecutionError")
          .put("message", "The run frame's meta is not valid JSON: " + e.getOriginalMessage())
          .put("severity", "exception")
          .put("time", Clock.nowNanos())
          .toString()));
      return null;
    }
    boolean completed = new PlanRunner(host, frames, compiler, version()).run(meta, run.bodyText());
    JsonNode recycle = meta.get("recycle");
    return completed && recycle != null && recycle.isObject() ? recycle : null;
  }

  /** The compiler's classes loaded and compiled once, before the first {@code ready}. */
  private static void warmUpCompiler(PrintStream stderr) {
    try {
      JobCompiler.compile("fn(s => s);", CompileOptions.named("warm-up"));
    } catch (RuntimeException e) {
      stderr.println("RunProcessMain: compiler warm-up failed: " + e);
    }
  }

  /**
   * A new Node runtime for the next run (the process restored to its start beforehand), with the
   * given installed adaptors imported (into this runtime only, which serves one run) and those of
   * their lazy dependencies evaluated that the previous run used ({@code usedJson}, a JSON array of
   * files): a run like the last one finds them ready, one that uses none pays for none.
   */
  private static NodeHost freshHost(ScrubbingFrameSink frames, List<String> preloads, String usedJson,
      PrintStream stderr) {
    NodeHost host = NodeHost.create(PlanRunner.logFrames(frames), stderr);
    for (String adaptorRoot : preloads) {
      String problem = host.preload(adaptorRoot);
      if (problem != null) {
        stderr.println("RunProcessMain: could not preload " + adaptorRoot + ": " + problem);
      }
    }
    host.evaluateDependencies(usedJson);
    return host;
  }

  /** Exits without waiting for timers or sockets job code may have left open. */
  private static void exit(int code) {
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(code);
  }

  static String version() {
    String v = RunProcessMain.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }

  /**
   * {@code --memory-mb <n>}: the run's memory limit; V8's old space gets it (0: V8's default).
   * {@code --preload <adaptor folder>} (repeatable): an installed adaptor to import before {@code ready}.
   * {@code --work-dir <dir>}: locks Node down ({@link NodePermissions}) to this run folder and the
   * folders of any {@code --read-dir <dir>}; without it Node is not restricted (tests, {@code kiln run}).
   */
  record ProcessArgs(int heapLimitMb, List<String> preloads, NodePermissions permissions) {
    private static final String USAGE =
        " (usage: --memory-mb <n> [--preload <adaptor folder>]... [--work-dir <dir> [--read-dir <dir>]...])";

    static ProcessArgs parse(String[] args) {
      int memory = 0;
      List<String> preloads = new ArrayList<>();
      Path workDir = null;
      List<Path> readDirs = new ArrayList<>();
      for (int i = 0; i < args.length; i++) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("unknown argument " + args[i] + USAGE);
        }
        switch (args[i]) {
          case "--memory-mb" -> {
            try {
              memory = Integer.parseInt(args[++i]);
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("--memory-mb needs a number of megabytes, got " + args[i]);
            }
          }
          case "--preload" -> preloads.add(args[++i]);
          case "--work-dir" -> workDir = Path.of(args[++i]);
          case "--read-dir" -> readDirs.add(Path.of(args[++i]));
          default -> throw new IllegalArgumentException("unknown argument " + args[i] + USAGE);
        }
      }
      if (workDir == null && !readDirs.isEmpty()) {
        throw new IllegalArgumentException("--read-dir needs --work-dir" + USAGE);
      }
      return new ProcessArgs(memory, List.copyOf(preloads),
          workDir == null ? null : new NodePermissions(workDir, readDirs));
    }
  }
}
