package dev.kiln.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
@Timeout(180)
class RunProcessPoolIntegrationTest {
  private static final String JOB = "export default [s => ({ ...s, data: { n: s.data.n + 1 } })];";

  private static List<ProcessHandle> runProcesses() {
    return ProcessHandle.current().children()
        .filter(p -> p.info().commandLine().orElse("").contains(RunProcessLauncher.MAIN_CLASS))
        .toList();
  }

  private static RunSupervisor pooled(Path repo, String version, RunProcessLauncher launcher) {
    return new RunSupervisor(repo, new PlanAutoinstaller(spec -> version), launcher, true);
  }

  /** Runs a job; returns the pid of the run process that ran it. */
  private static long runOn(RunSupervisor supervisor, RunLimits limits) {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = supervisor.run(
        RunRequest.of(TestPlans.oneStep(JOB), "{\"data\":{\"n\":1}}").withLimits(limits), listener);
    assertThat(outcome.failure()).isNull();
    assertThat(RecordingListener.json(outcome.finalState()).at("/data/n").asInt()).isEqualTo(2);
    return pid(listener);
  }

  private static long pid(RecordingListener listener) {
    return listener.ofType(RunEvent.WORKFLOW_START).get(0).meta().path("processId").asLong();
  }

  @Test
  void processesServeRunsOneAfterAnotherAndAreGoneAfterClose() throws Exception {
    List<ProcessHandle> left;
    try (RunSupervisor supervisor = pooled(TestPlans.REPO, "0.0.0", RunProcessLauncher.ofCurrentJvm())) {
      Set<Long> pids = new HashSet<>();
      for (int run = 0; run < 4; run++) {
        pids.add(runOn(supervisor, RunLimits.defaults()));
      }
      assertThat(pids).as("4 runs one after another share the first process and the spare").hasSize(2);
      assertThat(supervisor.readyProcesses()).isEqualTo(2);

      long other = runOn(supervisor, RunLimits.ofMemory(300, 60_000));
      assertThat(pids).as("another memory limit needs another process").doesNotContain(other);
      left = runProcesses();
      assertThat(left).as("the processes of the other limit were stopped").hasSizeLessThanOrEqualTo(3);
    }
    for (ProcessHandle process : left) {
      process.onExit().get(10, TimeUnit.SECONDS);
    }
    assertThat(runProcesses()).isEmpty();
  }

  /** A worker of capacity 1 keeps one process: no spare beside it, every run on it. */
  @Test
  void aBoundedPoolStartsNoSpareBeyondItsBound() {
    try (RunSupervisor supervisor = new RunSupervisor(TestPlans.REPO, new PlanAutoinstaller(spec -> "0.0.0"),
        new RunProcessPool(RunProcessLauncher.ofCurrentJvm(), true, 1), null)) {
      Set<Long> pids = new HashSet<>();
      for (int run = 0; run < 3; run++) {
        pids.add(runOn(supervisor, RunLimits.defaults()));
        assertThat(runProcesses()).as("run %d: one process alive", run).hasSize(1);
      }
      assertThat(pids).hasSize(1);
    }
  }

  /**
   * A process that serves several runs gives each a fresh Node runtime: module-level state of an
   * adaptor (like language-common's cursor), environment variables and the working directory an
   * adaptor changed, and files in the run folder do not reach the next run.
   */
  @Test
  void nothingOfARunReachesTheNextRunOnTheSameProcess(@TempDir Path repo) throws Exception {
    Path adaptor = probeAdaptor(repo);
    String job = "import { probe } from '@openfn/language-probe'; export default [probe()];";
    RunProcessLauncher lockedDown = RunProcessLauncher.ofCurrentJvm()
        .lockedDown(RunProcessSandbox.lockedDown(repo, List.of(), null));
    List<Long> pids = new ArrayList<>();
    try (RunSupervisor supervisor = pooled(repo, "1.0.0", lockedDown)) {
      for (int run = 1; run <= 4; run++) {
        RecordingListener listener = new RecordingListener();
        RunOutcome outcome = supervisor.run(RunRequest.of(
            TestPlans.oneStep("job", job, "@openfn/language-probe"), "{}").withLimits(RunLimits.defaults()), listener);
        assertThat(outcome.failure()).isNull();
        JsonNode seen = RecordingListener.json(outcome.finalState()).path("data");
        assertThat(seen.path("calls").asInt()).as("run %d: the adaptor's module state is the run's own", run)
            .isEqualTo(1);
        assertThat(seen.path("env").isNull()).as("run %d: no variable of an earlier run", run).isTrue();
        assertThat(seen.path("leftover").asBoolean()).as("run %d: no file of an earlier run", run).isFalse();
        assertThat(seen.path("cwd").asText()).as("run %d: the working directory as at start", run)
            .doesNotEndWith("/elsewhere");
        pids.add(pid(listener));
      }
    }
    assertThat(new HashSet<>(pids)).as("some process served more than one run").hasSizeLessThan(pids.size());
    assertThat(adaptor).exists();
  }

  @Test
  void aRunThatDidNotCompleteEndsItsProcess() {
    try (RunSupervisor supervisor = pooled(TestPlans.REPO, "0.0.0", RunProcessLauncher.ofCurrentJvm())) {
      RecordingListener listener = new RecordingListener();
      RunOutcome outcome = supervisor.run(RunRequest.of(
          TestPlans.oneStep("export default [s => { throw new TypeError('boom'); }];"), "{}")
          .withLimits(RunLimits.defaults()), listener);
      assertThat(outcome.reason()).isEqualTo("fail");
      long failedStep = pid(listener);
      assertThat(runOn(supervisor, RunLimits.defaults())).isNotEqualTo(0);

      listener = new RecordingListener();
      var plan = TestPlans.oneStep("export default [s => { while (true) {} }];");
      plan.with("options").put("timeout", 300);
      outcome = supervisor.run(RunRequest.of(plan, "{}").withLimits(RunLimits.defaults()), listener);
      assertThat(outcome.failure().type()).isEqualTo("TimeoutError");
      long timedOut = pid(listener);
      ProcessHandle.of(timedOut).ifPresent(p -> p.onExit().join());
      assertThat(runOn(supervisor, RunLimits.defaults())).isNotEqualTo(timedOut);
      assertThat(failedStep).as("a failed step still completes the workflow").isPositive();
    }
  }

  @Test
  void aRunWhoseWaitingProcessDiedGetsAnotherOne() throws Exception {
    try (RunSupervisor supervisor = pooled(TestPlans.REPO, "0.0.0", RunProcessLauncher.ofCurrentJvm())) {
      runOn(supervisor, RunLimits.defaults());
      for (ProcessHandle waiting : runProcesses()) {
        waiting.destroyForcibly();
        waiting.onExit().get(10, TimeUnit.SECONDS);
      }
      runOn(supervisor, RunLimits.defaults());
    }
  }

  /** A waiting process that never gets ready is stopped at the ready deadline; the run gets a fresh one. */
  @Test
  void aRunWhoseWaitingProcessHangsGetsAnotherOne() throws Exception {
    RunProcessPool pool = new RunProcessPool(RunProcessLauncher.ofCurrentJvm(), true, 0);
    LaunchedProcess hanging = RunProcessLauncher.ofCurrentJvm(MisbehavingRunProcesses.NeverReady.class.getName())
        .start(RunLimits.defaults().memoryLimitMb(), List.of());
    pool.giveBack(hanging);
    try (RunSupervisor supervisor = new RunSupervisor(TestPlans.REPO, new PlanAutoinstaller(spec -> "0.0.0"), pool, null)) {
      supervisor.readyDeadline(2_000);
      long pid = runOn(supervisor, RunLimits.defaults());
      assertThat(pid).isNotEqualTo(hanging.process().pid());
      assertThat(hanging.process().waitFor(10, TimeUnit.SECONDS)).as("the hanging process was stopped").isTrue();
    } finally {
      hanging.process().destroyForcibly();
    }
  }

  /**
   * An installed adaptor whose {@code probe()} reports what an earlier run could have left (module
   * state, an environment variable, a file in the run folder, the working directory) and then
   * leaves all of these behind.
   */
  private static Path probeAdaptor(Path repo) throws IOException {
    return TestPlans.installAdaptor(repo, "probe", "\"main\":\"index.js\"", """
        const fs = require('node:fs');
        let calls = 0;
        exports.probe = () => (state) => {
          const seen = {
            calls: ++calls,
            env: process.env.KILN_PROBE ?? null,
            leftover: fs.existsSync('leftover.txt'),
            cwd: process.cwd(),
          };
          process.env.KILN_PROBE = 'set by an earlier run';
          fs.writeFileSync('leftover.txt', 'from an earlier run');
          fs.mkdirSync('elsewhere', { recursive: true });
          process.chdir('elsewhere');
          return { ...state, data: seen };
        };
        """);
  }
}
