package dev.kiln.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Tag("integration")
@Timeout(120)
class WarmSpareIntegrationTest {
  private static final String JOB = "export default [s => ({ ...s, data: { n: s.data.n + 1 } })];";

  private static List<ProcessHandle> runProcesses() {
    return ProcessHandle.current().children()
        .filter(p -> p.info().commandLine().orElse("").contains(RunProcessLauncher.MAIN_CLASS))
        .toList();
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
      spares = runProcesses();
      assertThat(spares).as("the spare started for the next run").hasSize(1);
      assertRuns(supervisor, RunLimits.defaults());
      // the second run took the spare: it ends with that run (an idle spare would wait for ever)
      spares.get(0).onExit().get(10, TimeUnit.SECONDS);
      assertRuns(supervisor, RunLimits.ofMemory(300, 60_000));
      spares = runProcesses();
      assertThat(spares).hasSize(1);
    }
    for (ProcessHandle spare : spares) {
      spare.onExit().get(10, TimeUnit.SECONDS);
    }
    assertThat(runProcesses()).isEmpty();
  }
}
