package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Issue 5's timeout rule: the smaller of the worker's setting and the run's, then cut to report in time. */
class RunSettingsTest {
  @Test
  void theRunsTimeoutIsCappedByTheWorkersSetting() {
    assertThat(RunSettings.runTimeoutMs(600_000L, 300)).isEqualTo(300_000);
    assertThat(RunSettings.runTimeoutMs(60_000L, 300)).isEqualTo(60_000);
  }

  @Test
  void withoutARunTimeoutTheWorkersAppliesAndWithoutAWorkerSettingTheRuns() {
    assertThat(RunSettings.runTimeoutMs(null, 300)).isEqualTo(300_000);
    assertThat(RunSettings.runTimeoutMs(0L, 300)).isEqualTo(300_000);
    assertThat(RunSettings.runTimeoutMs(90_000L, 0)).isEqualTo(90_000);
  }

  @Test
  void theCappedTimeoutIsCutFurtherToReportBeforeLightningsDeadline() {
    Instant claim = Instant.parse("2026-01-01T00:00:00Z");
    // run_timeout_ms 600 s, worker 300 s, Lightning's deadline claim + 600 + 10 s: the cap decides
    long capped = RunSettings.runTimeoutMs(600_000L, 300);
    assertThat(new RunDeadline(claim.plusSeconds(610)).engineTimeoutMs(capped, claim.plusSeconds(1))).isEqualTo(300_000);
    // run_timeout_ms 60 s, 55 s spent joining and installing: 60 + 10 - 55 - 3 (delivery margin) = 12 s left
    long own = RunSettings.runTimeoutMs(60_000L, 300);
    assertThat(new RunDeadline(claim.plusSeconds(70)).engineTimeoutMs(own, claim.plusSeconds(55))).isEqualTo(12_000);
  }
}
