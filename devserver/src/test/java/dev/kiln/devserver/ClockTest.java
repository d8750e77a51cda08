package dev.kiln.devserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

class ClockTest {
  @Test
  void workerTimestampsAreReadAsLightningReadsThem() {
    assertThat(Clock.fromWorker(TextNode.valueOf("1732838400123456"))).isEqualTo(1732838400123456L);
    assertThat(Clock.fromWorker(TextNode.valueOf("1732838400123"))).isEqualTo(1732838400123000L);
    long before = Clock.nowMicros();
    assertThat(Clock.fromWorker(null)).isGreaterThanOrEqualTo(before);
    assertThat(Clock.fromWorker(NullNode.instance)).isGreaterThanOrEqualTo(before);
    assertThat(Clock.fromWorker(TextNode.valueOf("yesterday"))).isGreaterThanOrEqualTo(before);
  }

  @Test
  void isoTimesHaveMicroseconds() {
    assertThat(Clock.iso(1732838400123456L)).isEqualTo("2024-11-29T00:00:00.123456Z");
  }

  @Test
  void reasonsMapToRunStates() {
    assertThat(RunState.fromReason("ok")).contains(RunState.SUCCESS);
    assertThat(RunState.fromReason("fail")).contains(RunState.FAILED);
    assertThat(RunState.fromReason("lost")).contains(RunState.LOST);
    assertThat(RunState.fromReason("bogus")).isEmpty();
    assertThat(RunState.STARTED.isFinal()).isFalse();
    assertThat(RunState.LOST.isFinal()).isTrue();
  }
}
