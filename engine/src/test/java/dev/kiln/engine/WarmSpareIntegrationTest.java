package dev.kiln.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Tag("integration")
@Timeout(120)
class WarmSpareIntegrationTest {
  private static final String JOB = "export default [s => ({ ...s, data: { n: s.data.n + 1 } })];";

  private static List<ProcessHandle> runProcesses() {
    return ProcessHandle.current().children()
        .filter(p -> p.info().commandLine().orElse("").contains(RunProcessLauncher.MAIN_CLASS))
        .toList();
  }

  /** Runs a job; returns the pid of the run process that ran it. */
  private static long runOn(RunSupervisor supervisor, RunLimits limits) {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = supervisor.run(
        RunRequest.of(TestPlans.oneStep(JOB), "{\"data\":{\"n\":1}}").withLimits(limits), listener);
    assertThat(outcome.failure()).isNull();
    assertThat(RecordingListener.json(outcome.finalState()).at("/data/n").asInt()).isEqualTo(2);
    return listener.ofType(RunEvent.WORKFLOW_START).get(0).meta().path("processId").asLong();
  }

  /** The run processes alive once the process of a finished run has exited. */
  private static List<ProcessHandle> othersAfter(long finishedPid) throws Exception {
    ProcessHandle.of(finishedPid).ifPresent(p -> p.onExit().join());
    return runProcesses();
  }

  @Test
  void aSpareIsReadyForTheNextRunAndGoneAfterClose() throws Exception {
    List<ProcessHandle> spares;
    try (RunSupervisor supervisor = new RunSupervisor(TestPlans.REPO,
        new PlanAutoinstaller(spec -> "0.0.0"), RunProcessLauncher.ofCurrentJvm(), true)) {
      long first = runOn(supervisor, RunLimits.defaults());
      spares = othersAfter(first);
      assertThat(spares).as("the spare started for the next run").hasSize(1);

      long second = runOn(supervisor, RunLimits.defaults());
      assertThat(second).as("the second run ran on the spare").isEqualTo(spares.get(0).pid());

      long third = runOn(supervisor, RunLimits.ofMemory(300, 60_000));
      assertThat(third).as("another memory limit needs another process").isNotEqualTo(second);
      spares = othersAfter(third);
      assertThat(spares).hasSize(1);
    }
    for (ProcessHandle spare : spares) {
      spare.onExit().get(10, TimeUnit.SECONDS);
    }
    assertThat(runProcesses()).isEmpty();
  }

  /**
   * The spare imports the last run's adaptor before its run arrives, yet every run still gets a
   * fresh module instance: module-level state (like language-common's cursor) never carries over.
   */
  @Test
  void theSparePreloadsTheLastRunsAdaptorAndEachRunGetsItsOwnInstance(@TempDir Path repo) throws Exception {
    Path adaptor = counterAdaptor(repo);
    String job = "import { count } from '@openfn/language-counter'; export default [count()];";
    try (RunSupervisor supervisor = new RunSupervisor(repo,
        new PlanAutoinstaller(spec -> "1.0.0"), RunProcessLauncher.ofCurrentJvm(), true)) {
      for (int run = 1; run <= 3; run++) {
        RecordingListener listener = new RecordingListener();
        RunOutcome outcome = supervisor.run(RunRequest.of(
            TestPlans.oneStep("job", job, "@openfn/language-counter"), "{}").withLimits(RunLimits.defaults()), listener);
        assertThat(outcome.failure()).isNull();
        assertThat(RecordingListener.json(outcome.finalState()).at("/data/calls").asInt())
            .as("run %d: the adaptor's module state is the run's own", run).isEqualTo(1);
        List<ProcessHandle> spares =
            othersAfter(listener.ofType(RunEvent.WORKFLOW_START).get(0).meta().path("processId").asLong());
        assertThat(spares).hasSize(1);
        assertThat(spares.get(0).info().commandLine().orElse(""))
            .contains("--preload " + adaptor.toAbsolutePath());
      }
      assertThat(supervisor.readyProcesses()).isEqualTo(1);
    }
  }

  /** An installed adaptor with module-level state: {@code count()} returns how often it ran in this instance. */
  private static Path counterAdaptor(Path repo) throws IOException {
    Files.writeString(repo.resolve("package.json"),
        "{\"dependencies\":{\"@openfn/language-counter_1.0.0\":\"npm:@openfn/language-counter@1.0.0\"}}");
    Path folder = Files.createDirectories(repo.resolve("node_modules/@openfn/language-counter_1.0.0"));
    Files.writeString(folder.resolve("package.json"),
        "{\"name\":\"@openfn/language-counter\",\"version\":\"1.0.0\",\"main\":\"index.js\"}");
    Files.writeString(folder.resolve("index.js"), """
        let calls = 0;
        exports.count = () => (state) => ({ ...state, data: { calls: ++calls } });
        """);
    return folder;
  }
}
