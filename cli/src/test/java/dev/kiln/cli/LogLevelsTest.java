package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogLevelsTest {
  @Test
  void defaultsShowJobDebugButHideRuntimeInfo() {
    LogLevels levels = LogLevels.parse(null);
    assertThat(levels.shows("JOB", "debug")).isTrue();
    assertThat(levels.shows("R/T", "info")).isFalse();
    assertThat(levels.shows("R/T", "warn")).isTrue();
    assertThat(levels.jobLevel()).isEqualTo("debug");
  }

  @Test
  void bareNoneSilencesJobsButNotErrors() {
    LogLevels levels = LogLevels.parse("none");
    assertThat(levels.shows("JOB", "info")).isFalse();
    assertThat(levels.shows("RTE", "error")).isTrue();
  }

  @Test
  void componentLevels() {
    LogLevels levels = LogLevels.parse("rt=debug,job=info");
    assertThat(levels.shows("R/T", "debug")).isTrue();
    assertThat(levels.shows("JOB", "debug")).isFalse();
    assertThat(levels.shows("ADA", "info")).isTrue();
  }
}
