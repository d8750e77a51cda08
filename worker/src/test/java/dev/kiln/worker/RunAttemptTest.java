package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.engine.RunSupervisor;
import dev.kiln.lightning.phoenix.Reply;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The paths of a run that end before the engine runs anything: the slot is always freed. */
class RunAttemptTest {
  @TempDir Path repo;

  private final List<String> pushed = new CopyOnWriteArrayList<>();
  private final AtomicInteger leaves = new AtomicInteger();
  private final AtomicInteger finished = new AtomicInteger();
  private JsonNode runComplete;

  /** A run channel that joins, answers fetch:plan with {@code planReply} and ok to everything else. */
  private RunTopic topic(Reply planReply) {
    return new RunTopic() {
      @Override
      public CompletableFuture<Reply> join() {
        return CompletableFuture.completedFuture(Reply.ok(TextNode.valueOf("ok")));
      }

      @Override
      public CompletableFuture<Reply> push(String event, JsonNode payload) {
        pushed.add(event);
        if (event.equals("run:complete")) {
          runComplete = payload;
        }
        return CompletableFuture.completedFuture(event.equals("fetch:plan") ? planReply : Reply.ok(null));
      }

      @Override
      public void leave() {
        leaves.incrementAndGet();
      }
    };
  }

  private void attempt(Reply planReply, RunAttempt.PlanPreparer preparer) {
    try (RunSupervisor supervisor = RunSupervisor.create(repo, false)) {
      new RunAttempt("r1", "token", topic(planReply), supervisor, preparer, RunEventTranslatorTest.config(),
          Map.of("worker", "1", "engine", "1"), finished::incrementAndGet).run();
    }
  }

  @Test
  void aFailedFetchPlanLeavesTheChannelAndFreesTheSlot() {
    attempt(Reply.error(JsonNodeFactory.instance.objectNode().put("errors", "limit")), (plan, token) -> {
      throw new AssertionError("no plan to prepare");
    });
    assertThat(pushed).containsExactly("fetch:plan");
    assertThat(leaves).hasValue(1);
    assertThat(finished).hasValue(1);
  }

  @Test
  void aPlanThatCannotBeConvertedEndsTheRunAsACrash() {
    attempt(Reply.ok(JsonNodeFactory.instance.objectNode()), (plan, token) -> {
      throw new IllegalArgumentException("edge e1 has no target_job_id");
    });
    assertThat(pushed).endsWith("run:complete");
    assertThat(runComplete.path("reason").asText()).isEqualTo("crash");
    assertThat(runComplete.path("error_message").asText()).contains("edge e1 has no target_job_id");
    assertThat(leaves).hasValue(1);
    assertThat(finished).hasValue(1);
  }
}
