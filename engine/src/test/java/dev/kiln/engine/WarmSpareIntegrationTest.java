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
}
