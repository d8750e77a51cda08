package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.lightning.protocol.ClaimReply.ClaimedRun;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClaimLoopTest {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final LinkedBlockingQueue<CompletableFuture<List<ClaimedRun>>> claims = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<ClaimedRun> started = new LinkedBlockingQueue<>();
  private long replyWaitMs = 60_000;

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private ClaimLoop loop(int capacity) {
    return loop(capacity, 1);
  }

  private ClaimLoop loop(int capacity, long minBackoffMs) {
    return new ClaimLoop(new Workloop("manual>*:" + capacity, List.of("manual", "*"), capacity), w -> {
      CompletableFuture<List<ClaimedRun>> claim = new CompletableFuture<>();
      claims.add(claim);
      return claim;
    }, (run, loop) -> started.add(run), timer, minBackoffMs, minBackoffMs * 2, replyWaitMs);
  }

  private CompletableFuture<List<ClaimedRun>> nextClaim() throws InterruptedException {
    CompletableFuture<List<ClaimedRun>> claim = claims.poll(10, TimeUnit.SECONDS);
    assertThat(claim).as("a claim").isNotNull();
    return claim;
  }

  @Test
  void pendingClaimsCountAgainstCapacity() throws Exception {
    ClaimLoop loop = loop(1);
    loop.start();
    CompletableFuture<List<ClaimedRun>> pending = nextClaim();
    assertThat(loop.hasCapacity()).isFalse();
    assertThat(loop.claimOnce().get(10, TimeUnit.SECONDS)).isZero(); // work-available while the claim is out
    assertThat(claims).isEmpty();
    pending.complete(List.of(new ClaimedRun("r1", "t")));
    assertThat(started.poll(10, TimeUnit.SECONDS).id()).isEqualTo("r1");
    assertThat(loop.active()).isEqualTo(1);
    assertThat(claims.poll(100, TimeUnit.MILLISECONDS)).as("no claim while full").isNull();
    loop.runFinished();
    nextClaim().complete(List.of());
    assertThat(loop.active()).isZero();
  }

  /** With runs queued, throughput is not one run per backoff tick: a finished run claims at once. */
  @Test
  void aFinishedRunClaimsAtOnceInsteadOfWaitingForTheScheduledTick() throws Exception {
    ClaimLoop loop = loop(2, 60_000);
    loop.start();
    nextClaim().complete(List.of(new ClaimedRun("r1", "t")));
    assertThat(started.poll(10, TimeUnit.SECONDS).id()).isEqualTo("r1");
    assertThat(claims.poll(200, TimeUnit.MILLISECONDS)).as("the next tick is a minute away").isNull();
    loop.runFinished();
    nextClaim().complete(List.of(new ClaimedRun("r2", "t")));
    assertThat(started.poll(10, TimeUnit.SECONDS).id()).isEqualTo("r2");
  }

  @Test
  void emptyAndFailedClaimsRetryAndAStoppedLoopClaimsNothing() throws Exception {
    ClaimLoop loop = loop(2);
    loop.start();
    nextClaim().complete(List.of());
    nextClaim().completeExceptionally(new IllegalStateException("claim error"));
    CompletableFuture<List<ClaimedRun>> third = nextClaim();
    loop.stop();
    third.complete(List.of());
    assertThat(claims.poll(200, TimeUnit.MILLISECONDS)).isNull();
    loop.start();
    nextClaim().complete(List.of());
  }

  @Test
  void aClaimAnsweredAfterTheClaimTimeoutStillStartsItsRunInTheSlotItKept() throws Exception {
    replyWaitMs = 50;
    ClaimLoop loop = loop(2);
    loop.start();
    CompletableFuture<List<ClaimedRun>> late = nextClaim();
    CompletableFuture<List<ClaimedRun>> next = nextClaim(); // the loop did not wait for the late reply
    assertThat(loop.pending()).isEqualTo(2);
    assertThat(loop.hasCapacity()).isFalse();
    late.complete(List.of(new ClaimedRun("late", "t")));
    assertThat(started.poll(10, TimeUnit.SECONDS).id()).isEqualTo("late");
    assertThat(loop.active()).isEqualTo(1);
    assertThat(loop.pending()).isEqualTo(1);
    next.complete(List.of());
    loop.stop();
  }
}
