package dev.kiln.runtime;

import com.caoccao.javet.annotations.V8Function;
import com.caoccao.javet.enums.V8AwaitMode;
import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.interop.NodeRuntime;
import com.caoccao.javet.interop.V8Host;
import com.caoccao.javet.interop.options.NodeRuntimeOptions;
import com.caoccao.javet.values.reference.V8ValueFunction;
import com.caoccao.javet.values.reference.V8ValueObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * An embedded Node.js runtime running the host scripts in {@code resources/dev/kiln/runtime/host/}.
 * Java drives the plan; this class runs one step at a time, pumping Node's event loop until the
 * step reports back. Single-threaded: every call must come from the thread that created it.
 */
final class NodeHost implements AutoCloseable {
  private static final String HOST_RESOURCES = "/dev/kiln/runtime/host/";
  private static final AtomicBoolean FLAGS_SET = new AtomicBoolean();
  private static final Pattern HOST_SCRIPT_NAME = Pattern.compile("[a-z]+\\.js");
  private static final long TIMEOUT_GRACE_MS = 500;
  private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "kiln-step-watchdog");
    thread.setDaemon(true);
    return thread;
  });
  private static final StepOutcome NEVER_SETTLED = new StepOutcome(
      "{\"outcome\":\"fatal\",\"fatal\":{\"type\":\"RuntimeCrash\",\"severity\":\"crash\",\"message\":"
          + "\"The step never finished: its operations wait for a promise that nothing will ever settle"
          + " (no timers, I/O or callbacks are pending). Make every operation return or resolve.\"}}",
      null);

  private final NodeRuntime runtime;
  private final Bridge bridge;
  private final V8ValueObject bridgeObject;
  private final V8ValueObject host;

  private NodeHost(NodeRuntime runtime, Bridge bridge, V8ValueObject bridgeObject, V8ValueObject host) {
    this.runtime = runtime;
    this.bridge = bridge;
    this.bridgeObject = bridgeObject;
    this.host = host;
  }

  /**
   * Sets the process-wide V8 and Node flags (only the first call in a JVM has an effect: V8 reads
   * them once) and loads the native library from the machine's cache.
   */
  static void configureProcess(int heapLimitMb) {
    configureProcess(heapLimitMb, null);
  }

  /** As {@link #configureProcess(int)}, locked down by {@code permissions} unless it is null. */
  static void configureProcess(int heapLimitMb, NodePermissions permissions) {
    if (FLAGS_SET.compareAndSet(false, true)) {
      JavetLibrary.install();
      if (heapLimitMb > 0) {
        NodeRuntimeOptions.V8_FLAGS.setMaxOldSpaceSize(heapLimitMb);
      }
      NodeRuntimeOptions.NODE_FLAGS.setNoWarnings(true).setCustomFlags(new String[] {"--experimental-vm-modules"});
      if (permissions != null) {
        permissions.applyTo(NodeRuntimeOptions.NODE_FLAGS);
      }
    }
  }

  /** A fresh Node runtime with the host loaded; logs go to {@code logs}, stray output to {@code stderr}. */
  static NodeHost create(LogSink logs, PrintStream stderr) {
    configureProcess(0);
    try {
      NodeRuntime runtime = V8Host.getNodeInstance().createV8Runtime();
      Bridge bridge = new Bridge(logs, stderr);
      V8ValueObject bridgeObject = runtime.createV8ValueObject();
      bridgeObject.bind(bridge);
      try (V8ValueFunction bootstrap = runtime.getExecutor(resource("bootstrap.js")).execute();
          V8ValueFunction load = bootstrap.call(null, bridgeObject);
          V8ValueObject hostModule = load.call(null, "host.js")) {
        V8ValueObject host = hostModule.invoke("createHost", bridgeObject);
        return new NodeHost(runtime, bridge, bridgeObject, host);
      }
    } catch (JavetException e) {
      throw new IllegalStateException("cannot start the Node host: " + e.getMessage(), e);
    }
  }

  static String resource(String name) {
    try (InputStream in = NodeHost.class.getResourceAsStream(HOST_RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("missing host resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String nodeVersion() {
    try {
      return runtime.getExecutor("process.versions.node").executeString();
    } catch (JavetException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /**
   * Resets what this runtime's code may have changed through {@code process}: the environment
   * and the working directory become the process' {@code baseline} again.
   */
  void restoreProcess(ProcessBaseline baseline) {
    call("restoreProcess", baseline.environmentJson(), baseline.workingDirectory());
  }

  void init(String optionsJson) {
    call("init", optionsJson);
  }

  /** Compiles the edge conditions; returns the JSON array of error messages. */
  String compileConditions(String edgesJson) {
    return call("compileConditions", edgesJson);
  }

  /**
   * Imports an installed adaptor (its folder) before the run arrives, so the run's import finds it
   * evaluated; the process serves one run, so the instances are still the run's own.
   *
   * @return null when loaded, else why not (the run's own import will report it properly)
   */
  String preload(String adaptorRoot) {
    String meta = callAndAwaitReport("preload", adaptorRoot);
    return meta == null ? "the import never settled" : "{}".equals(meta) ? null : meta;
  }

  /** The JSON array of the lazy adaptor dependencies this runtime has evaluated (its run used them). */
  String evaluatedDependencies() {
    return call("evaluatedDependencies");
  }

  /**
   * Evaluates now those of {@code filesJson} (a JSON array, from {@link #evaluatedDependencies()} of
   * an earlier runtime) that are lazy dependencies of the adaptors preloaded into this one.
   */
  void evaluateDependencies(String filesJson) {
    call("evaluateDependencies", filesJson);
  }

  /**
   * Loads an installed adaptor (its folder) without any resolution index, recording one (the
   * indexing process, {@link AdaptorIndexMain}).
   *
   * @return {@code {"index": {...}}} or {@code {"error": "..."}} as JSON
   */
  String recordAdaptorIndex(String adaptorRoot) {
    String meta = callAndAwaitReport("recordAdaptorIndex", adaptorRoot);
    return meta != null ? meta : "{\"error\":\"the import never settled\"}";
  }

  /** Calls a host function that reports through {@code stepDone}; its meta, or null if it never does. */
  private String callAndAwaitReport(String function, String argument) {
    bridge.stepDone(null, null);
    call(function, argument);
    while (bridge.pending == null) {
      if (!runtime.await(V8AwaitMode.RunOnce) && bridge.pending == null) {
        runtime.await(V8AwaitMode.RunNoWait);
        if (bridge.pending == null) {
          return null;
        }
      }
    }
    return bridge.pending.metaJson();
  }

  /**
   * Runs one step and pumps the event loop until it reports back. {@code timeoutMs > 0} is the
   * step timeout the host enforces with a JS timer; if JavaScript is still busy
   * {@value #TIMEOUT_GRACE_MS} ms later (a synchronous endless loop never lets that timer fire),
   * execution is terminated from a watchdog thread and the step ends with the same
   * {@code TimeoutError}. The runtime must not be used for another step after that.
   */
  StepOutcome runStep(String stepJson, String inputText, long timeoutMs) {
    bridge.stepDone(null, null);
    AtomicBoolean terminated = new AtomicBoolean();
    ScheduledFuture<?> watchdog = timeoutMs > 0
        ? WATCHDOG.schedule(() -> {
            if (bridge.pending == null) {
              terminated.set(true);
              runtime.terminateExecution();
            }
          }, timeoutMs + TIMEOUT_GRACE_MS, TimeUnit.MILLISECONDS)
        : null;
    try {
      call("runStep", stepJson, inputText);
      while (bridge.pending == null) {
        boolean more = runtime.await(V8AwaitMode.RunOnce);
        if (terminated.get()) {
          return timedOut(timeoutMs);
        }
        if (!more && bridge.pending == null) {
          runtime.await(V8AwaitMode.RunNoWait);
          if (bridge.pending == null) {
            return NEVER_SETTLED;
          }
        }
      }
      return bridge.pending;
    } catch (RuntimeException e) {
      if (terminated.get()) {
        return timedOut(timeoutMs);
      }
      throw e;
    } finally {
      if (watchdog != null) {
        watchdog.cancel(false);
      }
    }
  }

  private static StepOutcome timedOut(long timeoutMs) {
    return new StepOutcome("{\"outcome\":\"fatal\",\"fatal\":{\"type\":\"TimeoutError\",\"severity\":\"kill\","
        + "\"message\":\"Job took longer than " + timeoutMs + "ms to complete\"}}", null);
  }

  private String call(String function, Object... args) {
    try {
      Object result = host.invokeObject(function, args);
      return result == null ? null : result.toString();
    } catch (JavetException e) {
      throw new IllegalStateException("host." + function + " failed: " + e.getMessage(), e);
    }
  }

  /** Closes the runtime at once: timers and sockets job code left behind are abandoned, not awaited. */
  @Override
  public void close() {
    try {
      runtime.setStopping(true);
      host.close();
      bridgeObject.unbind(bridge); // releases the bridge's callbacks (Javet warns of leftovers)
      bridgeObject.close();
      runtime.close();
    } catch (JavetException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The Java object the host scripts call (bound as {@code bridge}). */
  public static final class Bridge {
    private final LogSink logs;
    private final PrintStream stderr;
    private volatile StepOutcome pending;

    Bridge(LogSink logs, PrintStream stderr) {
      this.logs = logs;
      this.stderr = stderr;
    }

    /** A host script by its file name (no paths: nothing else of the class path is readable). */
    @V8Function
    public String resource(String name) {
      if (name == null || !HOST_SCRIPT_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not a host script: " + name);
      }
      return NodeHost.resource(name);
    }

    @V8Function
    public void log(String level, String name, String messageJson, String time) {
      logs.log(level, name, messageJson, time);
    }

    @V8Function
    public void stderr(String text) {
      stderr.print(text);
      stderr.flush();
    }

    @V8Function
    public void stepDone(String metaJson, String stateText) {
      pending = metaJson == null ? null : new StepOutcome(metaJson, stateText);
    }

    StepOutcome pending() {
      return pending;
    }
  }
}
