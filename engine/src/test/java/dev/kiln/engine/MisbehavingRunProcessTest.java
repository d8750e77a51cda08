package dev.kiln.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Tag("integration")
@Timeout(60)
class MisbehavingRunProcessTest {

  private static RunOutcome runWith(Class<?> mainClass, RecordingListener listener) {
    try (RunSupervisor supervisor = new RunSupervisor(TestPlans.REPO,
        new PlanAutoinstaller(spec -> "0.0.0"), RunProcessLauncher.ofCurrentJvm(mainClass.getName()), false)) {
      return supervisor.run(RunRequest.of(TestPlans.oneStep("job", "fn(s => s)", "local-adaptor"), null),
          listener);
    }
  }

  @Test
  void aProcessThatDiesBeforeReadyIsReportedWithItsStderr() {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = runWith(MisbehavingRunProcesses.DiesBeforeReady.class, listener);

    assertThat(outcome.failure().type()).isEqualTo("ExitError");
    assertThat(outcome.failure().severity()).isEqualTo("exception");
    assertThat(outcome.failure().phase()).isEqualTo(RunPhase.STARTUP);
    assertThat(outcome.failure().message())
        .startsWith("The run process exited with code 1 before it was ready")
        .contains("UnsatisfiedLinkError: libjavet-node.so");
    assertThat(listener.types()).containsOnlyOnce(RunEvent.WORKFLOW_ERROR);
  }

  @Test
  void aCorruptedFrameStreamEndsTheRunAndTheProcess() {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = runWith(MisbehavingRunProcesses.BreaksTheProtocol.class, listener);

    assertThat(outcome.failure().type()).isEqualTo("ExecutionError");
    assertThat(outcome.failure().message()).startsWith("The run process broke the frame protocol: ");
    assertThat(listener.last().type()).isEqualTo(RunEvent.WORKFLOW_ERROR);
  }
}
