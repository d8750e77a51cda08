package dev.kiln.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.engine.install.AdaptorInstaller;
import dev.kiln.engine.install.RegistryConfig;
import dev.kiln.runtime.SecretScrubber;
import dev.kiln.runtime.protocol.Body;
import dev.kiln.runtime.protocol.Frame;
import dev.kiln.runtime.protocol.FrameType;
import dev.kiln.runtime.protocol.FrameWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs plans, each in a run process of its own (a process serves one run at a time; see
 * {@link RunProcessPool} for how processes are reused): installs the plan's adaptors, resolves its credentials,
 * starts the process, streams its frames to the listener as events and enforces the run's
 * limits (time, memory, state size). Every run ends with exactly one final event, whatever
 * happens to the process; the supervisor itself is never affected. Thread-safe: concurrent
 * calls to {@link #run} are independent runs.
 */
public final class RunSupervisor implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RunSupervisor.class.getName());
  static final ObjectMapper JSON = new ObjectMapper();
  /** How long a process that sent its final frame gets to exit by itself. */
  private static final long EXIT_GRACE_MS = 5_000;
  /**
   * How long a process started or prepared ahead may still take to be ready once a run is given to
   * it: one that hangs while it prepares (closing the last run's Node runtime, importing adaptors)
   * is stopped and the run gets a fresh process, instead of waiting for the run's own timeout.
   */
  static final long READY_DEADLINE_MS = 60_000;

  private final Path repoDir;
  private final PlanAutoinstaller autoinstaller;
  private final RunProcessPool processes;
  /** Builds the resolution indexes of installed adaptors; closed with the supervisor (or null). */
  private final AdaptorIndexer indexer;
  private long readyDeadlineMs = READY_DEADLINE_MS;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("kiln-run-watch").unstarted(r));

  /**
   * @param repoDir the adaptor repo: adaptors are installed there and loaded from there
   * @param autoinstaller installs the plan's adaptors before the run starts
   * @param launcher starts run processes
   * @param warmSpare keep run processes ready for the next runs: a spare started ahead, and
   *     processes that serve further runs with a fresh Node runtime each (for a worker; not for a
   *     one-shot command)
   */
  public RunSupervisor(
      Path repoDir, PlanAutoinstaller autoinstaller, RunProcessLauncher launcher, boolean warmSpare) {
    this(repoDir, autoinstaller, new RunProcessPool(launcher, warmSpare, 0), null);
  }

  RunSupervisor(Path repoDir, PlanAutoinstaller autoinstaller, RunProcessPool processes,
      AdaptorIndexer indexer) {
    this.repoDir = repoDir;
    this.autoinstaller = autoinstaller;
    this.processes = processes;
    this.indexer = indexer;
    scheduler.scheduleWithFixedDelay(processes::stopIdle, 10, 10, TimeUnit.SECONDS);
  }

  /**
   * A supervisor with the default parts: adaptors installed from the npm registry (as
   * {@code npm_config_registry} / {@code .npmrc} say) into {@code repoDir}, run processes started
   * with this JVM's JDK and class path; with {@code warmSpare} (a worker), run processes are
   * pooled and every installed adaptor gets its resolution index ({@link AdaptorIndexer}).
   */
  public static RunSupervisor create(Path repoDir, boolean warmSpare) {
    return create(repoDir, warmSpare, null);
  }

  /**
   * As {@link #create(Path, boolean)}; every run process is locked down
   * ({@link RunProcessSandbox}) and, with {@code runAs} (a user name; the worker must be root),
   * runs as that user.
   */
  public static RunSupervisor create(Path repoDir, boolean warmSpare, String runAs) {
    return create(repoDir, warmSpare, runAs, List.of());
  }

  /**
   * As {@link #create(Path, boolean, String)}; run processes may also read {@code moreReadDirs}
   * (the adaptors monorepo of {@code @local} adaptors).
   */
  public static RunSupervisor create(Path repoDir, boolean warmSpare, String runAs, List<Path> moreReadDirs) {
    return create(repoDir, warmSpare, 0, runAs, moreReadDirs);
  }

  /**
   * The supervisor of a worker that runs at most {@code capacity} runs at once: run processes are
   * pooled, and no more than {@code capacity} of them are kept (a spare is started only while
   * fewer are alive: each further one would cost its ~160 MB for a latency gain under full load
   * only); otherwise as {@link #create(Path, boolean, String, List)}.
   */
  public static RunSupervisor forWorker(Path repoDir, int capacity, String runAs, List<Path> moreReadDirs) {
    return create(repoDir, true, capacity, runAs, moreReadDirs);
  }

  private static RunSupervisor create(
      Path repoDir, boolean warmSpare, int maxProcesses, String runAs, List<Path> moreReadDirs) {
    AdaptorInstaller installer = new AdaptorInstaller(repoDir, RegistryConfig.fromEnvironment());
    RunProcessSandbox sandbox = RunProcessSandbox.lockedDown(repoDir, moreReadDirs, runAs);
    // a one-shot command would mostly abandon an index build when it ends: only a worker indexes
    AdaptorIndexer indexer = warmSpare ? AdaptorIndexer.lockedDown(sandbox) : null;
    return new RunSupervisor(repoDir,
        new PlanAutoinstaller(spec -> installer.install(spec).version(),
            indexer == null ? (name, version) -> { } : indexer::ensure),
        new RunProcessPool(RunProcessLauncher.ofCurrentJvm().lockedDown(sandbox), warmSpare, maxProcesses),
        indexer);
  }

  /** Run processes started and waiting for a run, for the worker's metrics. */
  public int readyProcesses() {
    return processes.waitingCount();
  }

  /** Runs a plan to its end; events go to the listener on this thread. Never throws. */
  public RunOutcome run(RunRequest request, RunListener listener) {
    RunEmitter emitter = new RunEmitter(listener, request.planId());
    try {
      return runChecked(request, emitter);
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "run " + request.planId() + " failed unexpectedly", e);
      return emitter.fail(RunFailure.execution(String.valueOf(e)), 0);
    }
  }

  private RunOutcome runChecked(RunRequest request, RunEmitter emitter) {
    ObjectNode plan = request.plan().deepCopy();
    RunFailure installFailure = autoinstaller.install(plan, emitter);
    if (installFailure != null) {
      return emitter.fail(installFailure, 0);
    }
    ObjectNode credentials;
    try {
      credentials = CredentialPreloader.preload(plan, request.credentials());
    } catch (CredentialPreloader.CredentialLoadException e) {
      return emitter.fail(RunFailure.credentialLoad(e.getMessage()), 0);
    }
    RunLimits limits = request.limits();
    emitter.log("info", "Memory limit: " + limits.memoryLimitMb() + "mb");
    emitter.log("info", limits.runTimeoutMs() == 0 ? "Timeout: none"
        : "Timeout: " + RunSupervisor.jsNumber(limits.runTimeoutMs() / 1000.0) + "s");
    ObjectNode runMeta = RunEmitter.meta();
    runMeta.set("plan", plan);
    ObjectNode options = request.runtimeOptions().deepCopy();
    options.put("repoDir", repoDir.toString());
    options.put("stateLimitMb", limits.stateLimitMb());
    runMeta.set("options", options);
    runMeta.set("credentials", credentials);
    long stepTimeoutMs = plan.path("options").path("timeout").asLong(options.path("stepTimeoutMs").asLong(0));
    emitter.secrets(SecretScrubber.of(runMeta));
    return supervise(runMeta, request, plan, stepTimeoutMs, emitter);
  }

  private RunOutcome supervise(ObjectNode runMeta, RunRequest request, ObjectNode plan,
      long stepTimeoutMs, RunEmitter emitter) {
    RunLimits limits = request.limits();
    List<Path> adaptorFolders = AdaptorPreloads.of(plan, repoDir);
    LaunchedProcess launched;
    try {
      launched = processes.take(limits.memoryLimitMb(), adaptorFolders);
    } catch (IOException e) {
      return emitter.fail(RunFailure.execution("Could not start the run process: " + e.getMessage()), 0);
    }
    RunOutcome outcome = supervise(launched, runMeta, request, plan, adaptorFolders, stepTimeoutMs, emitter);
    if (outcome != null) {
      return outcome;
    }
    // a waiting process died before it was ready (nothing of this run had reached it): once more
    // with a process of the run's own
    try {
      launched = processes.startFresh(limits.memoryLimitMb());
    } catch (IOException e) {
      return emitter.fail(RunFailure.execution("Could not start the run process: " + e.getMessage()), 0);
    }
    return supervise(launched, runMeta, request, plan, adaptorFolders, stepTimeoutMs, emitter);
  }

  /**
   * Runs the run on one process; returns null, and touches nothing of the run, when a process
   * that was started or prepared ahead ends before its {@code ready}. The run frame asks the
   * process to prepare for another run afterwards ({@code recycle}, with this run's adaptors to
   * import) unless the pool is off or the process has served its share.
   */
  private RunOutcome supervise(LaunchedProcess launched, ObjectNode runMeta, RunRequest request,
      ObjectNode plan, List<Path> adaptorFolders, long stepTimeoutMs, RunEmitter emitter) {
    RunLimits limits = request.limits();
    Map<String, String> stepNames = Plans.stepNames(plan);
    Process process = launched.process();
    StderrTail stderr = launched.stderr();
    boolean recycle = processes.recycles(launched);
    if (recycle) {
      runMeta.putObject("recycle").set("preload",
          JSON.valueToTree(adaptorFolders.stream().map(Path::toString).toList()));
    } else {
      runMeta.remove("recycle");
    }
    RunTracker tracker = new RunTracker(process);
    ScheduledFuture<?> readyCheck = launched.startedAhead()
        ? scheduler.schedule(() -> stopIfNotReady(process, tracker), readyDeadlineMs, TimeUnit.MILLISECONDS)
        : null;
    StepTimer stepTimer = new StepTimer(stepTimeoutMs, scheduler, tracker);
    ScheduledFuture<?> timeout = limits.runTimeoutMs() == 0 ? null
        : scheduler.schedule(
            () -> tracker.kill(RunFailure.timeout(limits.runTimeoutMs()).withPhase(tracker.phase())),
            limits.runTimeoutMs(), TimeUnit.MILLISECONDS);
    boolean handedBack = false;
    try (RssWatch rss = new RssWatch(process.pid(), limits.rssBudgetMb(), scheduler,
            kb -> tracker.kill(RunFailure.outOfMemory(tracker.phase(),
                "the run process' resident memory reached " + kb / 1024 + " MB, over its budget of "
                    + limits.rssBudgetMb() + " MB")))) {
      FrameStream frames = new FrameStream(stepNames, limits, tracker, rss, stepTimer, emitter);
      try {
        Frame frame;
        while (!emitter.ended() && (frame = launched.frames().read(limits.maxKeptBodyBytes(), request.spillDir())) != null) {
          if (FrameType.READY.equals(frame.type()) && tracker.phase() == RunPhase.STARTUP) {
            tracker.phase(RunPhase.COMPILE);
            // on its own thread: a big plan must not stop the frames the process sends meanwhile
            Thread.ofVirtual().name("kiln-run-send-" + process.pid())
                .start(() -> sendRun(launched.input(), runMeta, request.input()));
          } else {
            frames.accept(frame);
          }
        }
      } catch (IOException e) {
        if (tracker.killedFor() == null && process.isAlive()) {
          tracker.kill(RunFailure.execution(
              "The run process broke the frame protocol: " + e.getMessage()));
        }
      }
      if (emitter.ended()) {
        if (recycle && frames.completed() && tracker.killedFor() == null && process.isAlive()) {
          processes.giveBack(launched);
          handedBack = true;
        } else {
          reapLater(process);
        }
        return frames.outcome();
      }
      int code = awaitExit(process);
      stderr.awaitEnd(2_000);
      if (tracker.phase() == RunPhase.STARTUP && tracker.killedFor() == null && launched.startedAhead()) {
        LOG.warning("run process " + process.pid() + " (started ahead) exited with code " + code
            + " before it was ready; the run gets another process. Its last stderr lines:\n" + stderr.text());
        return null;
      }
      return emitter.fail(
          ExitClassifier.classify(code, tracker.phase(), tracker.killedFor(), stderr), rss.peakMb());
    } finally {
      stepTimer.stop();
      if (timeout != null) {
        timeout.cancel(false);
      }
      if (readyCheck != null) {
        readyCheck.cancel(false);
      }
      if (!handedBack) {
        launched.closeInput();
      }
    }
  }

  /** Stops a process prepared ahead that is still not ready: its run then gets a fresh one. */
  private void stopIfNotReady(Process process, RunTracker tracker) {
    if (tracker.phase() == RunPhase.STARTUP && process.isAlive()) {
      LOG.warning("run process " + process.pid() + " (started ahead) was not ready " + readyDeadlineMs
          + " ms after a run was given to it: stopped; the run gets another process");
      process.destroyForcibly();
    }
  }

  /** Sets how long a process prepared ahead may take to be ready (tests). */
  void readyDeadline(long ms) {
    readyDeadlineMs = ms;
  }

  /** Writes the run frame; a process that died meanwhile is classified from its exit. */
  private static void sendRun(FrameWriter toChild, ObjectNode runMeta, Body input) {
    try {
      // the meta (with the plan: a job can be many MB) is written from the tree, never held as text
      toChild.write(FrameType.RUN, runMeta, input);
    } catch (IOException e) {
      // the process is gone: the read loop sees the end of its stdout next
    }
  }

  private static int awaitExit(Process process) {
    try {
      if (!process.waitFor(EXIT_GRACE_MS, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
      return process.waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** A process that sent its final frame exits by itself; kill it if it does not. */
  private void reapLater(Process process) {
    scheduler.schedule(() -> {
      if (process.isAlive()) {
        LOG.warning("run process " + process.pid() + " did not exit after its final frame: killed");
        process.destroyForcibly();
      }
    }, EXIT_GRACE_MS, TimeUnit.MILLISECONDS);
  }

  /** Formats a limit in MB as JavaScript prints numbers ({@code 125}, {@code 0.5}). */
  static String jsNumber(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  static JsonNode parse(String json) throws IOException {
    return JSON.readTree(json);
  }

  /** Stops watching and kills the run processes still running (their runs end as crashed). */
  @Override
  public void close() {
    if (indexer != null) {
      indexer.close();
    }
    processes.close();
    scheduler.shutdownNow();
  }
}
