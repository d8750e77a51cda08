package dev.kiln.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RunLimitsTest {
  @Test
  void theEngineKeepsStatesUpToThePayloadLimitElseUpToTheStateLimit() {
    assertThat(RunLimits.defaults().maxKeptBodyBytes()).isEqualTo(10 * 1024 * 1024);
    assertThat(RunLimits.defaults().withPayloadLimitMb(0).maxKeptBodyBytes()).isEqualTo(125 * 1024 * 1024);
    assertThat(new RunLimits(500, 0, 0, 0, 0).maxKeptBodyBytes()).isEqualTo(Integer.MAX_VALUE);
    assertThat(new RunLimits(100_000, 0, 25_000, 0, 0).maxKeptBodyBytes()).isEqualTo(Integer.MAX_VALUE);
    assertThat(RunLimits.defaults().withPayloadLimitMb(0).withKeptStateMb(2).maxKeptBodyBytes()).isEqualTo(2 * 1024 * 1024);
    assertThat(RunLimits.defaults().withPayloadLimitMb(0).withKeptStateMb(Double.MIN_VALUE).maxKeptBodyBytes()).isZero();
  }
}
