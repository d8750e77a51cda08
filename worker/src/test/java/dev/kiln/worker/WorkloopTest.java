package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorkloopTest {
  @Test
  void parsesQueuesAndCounts() {
    assertThat(Workloop.parseAll("fast_lane:1  manual>*:4"))
        .containsExactly(new Workloop("fast_lane:1", java.util.List.of("fast_lane"), 1),
            new Workloop("manual>*:4", java.util.List.of("manual", "*"), 4));
    assertThat(Workloop.ofCapacity(5).get(0).queueKey()).isEqualTo("manual>*");
  }

  @Test
  void rejectsWhatTheReferenceRejects() {
    assertThatThrownBy(() -> Workloop.parseAll("")).hasMessageContaining("empty");
    assertThatThrownBy(() -> Workloop.parseAll("manual")).hasMessageContaining("':<count>'");
    assertThatThrownBy(() -> Workloop.parseAll("manual:0")).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> Workloop.parseAll("manual:05")).hasMessageContaining("whole number");
    assertThatThrownBy(() -> Workloop.parseAll("*>manual:1")).hasMessageContaining("last");
    assertThatThrownBy(() -> Workloop.parseAll("bad-name:1")).hasMessageContaining("bad-name");
  }
}
