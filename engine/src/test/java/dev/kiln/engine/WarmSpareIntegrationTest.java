package dev.kiln.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
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

  /**
   * The run processes once those of finished runs are gone: a run returns at its final frame, and
   * its process exits right after. The newest process is the spare; the older ones must exit.
   */
  private static List<ProcessHandle> afterFinishedRunsExit() throws Exception {
    List<ProcessHandle> all = runProcesses().stream()
        .sorted(Comparator.comparing(p -> p.info().startInstant().orElse(Instant.MIN))).toList();
    for (ProcessHandle finished : all.subList(0, Math.max(0, all.size() - 1))) {
      finished.onExit().get(10, TimeUnit.SECONDS);
    }
    return runProcesses();
  }

  private static void assertRuns(RunSupervisor supervisor, RunLimits limits) {
    RunOutcome outcome = supervisor.run(
        RunRequest.of(TestPlans.oneStep(JOB), "{\"data\":{\"n\":1}}").withLimits(limits), e -> { });
    assertThat(outcome.failure()).isNull();
    assertThat(RecordingListener.json(outcome.finalState()).at("/data/n").asInt()).isEqualTo(2);
  }

  @Test
  void aSpareIsReadyForTheNextRunAndGoneAfterClose() throws Exception {
    List<ProcessHandle> spares;
    try (RunSupervisor supervisor = new RunSupervisor(TestPlans.REPO,
        new PlanAutoinstaller(spec -> "0.0.0"), RunProcessLauncher.ofCurrentJvm(), true)) {
      assertRuns(supervisor, RunLimits.defaults());
      spares = afterFinishedRunsExit();
      assertThat(spares).as("the spare started for the next run").hasSize(1);
      assertRuns(supervisor, RunLimits.defaults());
      // the second run took the spare: it ends with that run (an idle spare would wait for ever)
      spares.get(0).onExit().get(10, TimeUnit.SECONDS);
      assertRuns(supervisor, RunLimits.ofMemory(300, 60_000));
      spares = afterFinishedRunsExit();
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
        RunOutcome outcome = supervisor.run(RunRequest.of(
            TestPlans.oneStep("job", job, "@openfn/language-counter"), "{}").withLimits(RunLimits.defaults()), e -> { });
        assertThat(outcome.failure()).isNull();
        assertThat(RecordingListener.json(outcome.finalState()).at("/data/calls").asInt())
            .as("run %d: the adaptor's module state is the run's own", run).isEqualTo(1);
        List<ProcessHandle> spares = afterFinishedRunsExit();
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
