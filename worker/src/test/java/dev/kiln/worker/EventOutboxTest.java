package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventOutboxTest {
  private record Push(String event, ObjectNode payload, CompletableFuture<Void> reply) {}

  private final LinkedBlockingQueue<Push> pushes = new LinkedBlockingQueue<>();

  private CompletableFuture<Void> channel(String event, ObjectNode payload) {
    CompletableFuture<Void> reply = new CompletableFuture<>();
    pushes.add(new Push(event, payload, reply));
    return reply;
  }

  private Push next() throws InterruptedException {
    Push push = pushes.poll(10, TimeUnit.SECONDS);
    assertThat(push).as("a push").isNotNull();
    return push;
  }

  private static OutgoingEvent log(String text) {
    ObjectNode p = JsonNodeFactory.instance.objectNode().put("run_id", "r");
    p.putArray("message").add(text);
    return new OutgoingEvent(OutgoingEvent.RUN_LOG, p);
  }

  private static OutgoingEvent event(String name) {
    return new OutgoingEvent(name, JsonNodeFactory.instance.objectNode());
  }

  @Test
  void oneEventInFlightAtATimeAndFailuresDoNotStopTheRun() throws Exception {
    EventOutbox outbox = new EventOutbox("r", this::channel, false, 10, 50);
    outbox.accept(event(OutgoingEvent.STEP_START));
    outbox.accept(log("a"));
    outbox.accept(event(OutgoingEvent.RUN_COMPLETE));
    Push first = next();
    assertThat(first.event()).isEqualTo("step:start");
    assertThat(pushes.poll(200, TimeUnit.MILLISECONDS)).as("nothing before the reply").isNull();
    first.reply().completeExceptionally(new IllegalStateException("[step:start] refused"));
    Push second = next();
    assertThat(second.event()).isEqualTo("run:log");
    second.reply().complete(null);
    Push last = next();
    assertThat(last.event()).isEqualTo("run:complete");
    assertThat(outbox.completed()).isNotDone();
    last.reply().complete(null);
    assertThat(outbox.completed().get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void batchesConsecutiveLogsAndFlushesBeforeTheNextEvent() throws Exception {
    EventOutbox outbox = new EventOutbox("r", this::channel, true, 60_000, 2);
    outbox.accept(event(OutgoingEvent.STEP_START));
    Push start = next();
    List<OutgoingEvent> logs = List.of(log("1"), log("2"), log("3"));
    logs.forEach(outbox::accept);
    outbox.accept(event(OutgoingEvent.STEP_COMPLETE));
    start.reply().complete(null);
    Push batch = next();
    assertThat(batch.event()).isEqualTo("run:batch_logs");
    assertThat(batch.payload().path("run_id").asText()).isEqualTo("r");
    assertThat(batch.payload().path("logs")).hasSize(2);
    assertThat(batch.payload().path("logs").get(0).has("run_id")).isFalse();
    batch.reply().complete(null);
    Push rest = next();
    assertThat(rest.payload().path("logs")).hasSize(1);
    rest.reply().complete(null);
    assertThat(next().event()).isEqualTo("step:complete");
  }

  @Test
  void aRefusedRunCompleteIsReported() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    EventOutbox outbox = new EventOutbox("r", (event, payload) -> {
      seen.add(event);
      return CompletableFuture.failedFuture(new IllegalStateException("[run:complete] timeout"));
    }, false, 10, 50);
    outbox.accept(event(OutgoingEvent.RUN_COMPLETE));
    assertThat(outbox.completed().get(10, TimeUnit.SECONDS)).isFalse();
    assertThat(seen).containsExactly("run:complete");
  }
}
