package dev.kiln.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExitClassifierTest {

  private static StderrTail stderr(String text) {
    StderrTail tail = new StderrTail(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test-stderr");
    tail.awaitEnd(10_000);
    return tail;
  }

  @Test
  void aKillByTheSupervisorExplainsTheExit() {
    RunFailure timeout = RunFailure.timeout(1000);
    assertThat(ExitClassifier.classify(137, RunPhase.EXECUTE, timeout, stderr(""))).isSameAs(timeout);
  }

  @Test
  void aBrokenFrameStreamIsExplainedByStderr() {
    RunFailure broken = RunFailure.execution("The run process broke the frame protocol: x");
    RunFailure f = ExitClassifier.classify(137, RunPhase.EXECUTE, broken,
        stderr("java.io.IOException: Resource temporarily unavailable\n"));
    assertThat(f.message()).isEqualTo(broken.message());
    assertThat(f.detail()).contains("Resource temporarily unavailable");
    assertThat(f.phase()).isEqualTo(RunPhase.EXECUTE);
  }

  @Test
  void v8HeapAbortIsOomInTheCurrentPhase() {
    RunFailure f = ExitClassifier.classify(134, RunPhase.EXECUTE, null,
        stderr("<--- Last few GCs --->\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n"));
    assertThat(f.type()).isEqualTo("OOMError");
    assertThat(f.severity()).isEqualTo("kill");
    assertThat(f.message()).isEqualTo("Run exceeded maximum memory usage");
    assertThat(f.phase()).isEqualTo(RunPhase.EXECUTE);
  }

  @Test
  void javaHeapExhaustionIsOomInTheCurrentPhase() {
    RunFailure f = ExitClassifier.classify(3, RunPhase.COMPILE, null,
        stderr("Terminating due to java.lang.OutOfMemoryError: Java heap space\n"));
    assertThat(f.type()).isEqualTo("OOMError");
    assertThat(f.phase()).isEqualTo(RunPhase.COMPILE);
    assertThat(f.detail()).contains("Java heap");
  }

  @Test
  void anExitCodeIsAnExitError() {
    RunFailure f = ExitClassifier.classify(3, RunPhase.EXECUTE, null, stderr("bye\n"));
    assertThat(f.type()).isEqualTo("ExitError");
    assertThat(f.severity()).isEqualTo("crash");
    assertThat(f.message()).isEqualTo("Process exited with code: 3");
  }

  @Test
  void aSignalIsNamed() {
    RunFailure f = ExitClassifier.classify(139, RunPhase.EXECUTE, null, stderr(""));
    assertThat(f.message()).isEqualTo("Process exited with signal: SIGSEGV");
    assertThat(f.severity()).isEqualTo("crash");
  }

  @Test
  void deathBeforeReadyQuotesStderr() {
    RunFailure f = ExitClassifier.classify(1, RunPhase.STARTUP, null, stderr("no javet here\n"));
    assertThat(f.severity()).isEqualTo("exception");
    assertThat(f.message()).contains("before it was ready").contains("no javet here");
  }

  @Test
  void stderrTailKeepsTheLastLines() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      text.append("line ").append(i).append('\n');
    }
    String tail = stderr(text.toString()).text();
    assertThat(tail).endsWith("line 99").doesNotContain("line 69\n").contains("line 70");
  }
}
