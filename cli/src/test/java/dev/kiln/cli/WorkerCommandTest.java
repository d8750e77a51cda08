package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.worker.WorkerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerCommandTest {
  private static WorkerConfig config(Map<String, String> env, String... args) {
    WorkerCommand command = new WorkerCommand(new WorkerEnvironment(env));
    WorkerCommand.commandLine(command).parseArgs(args);
    return command.config();
  }

  @Test
  void defaultsAreTheReferences() {
    WorkerConfig c = config(Map.of(), "--secret", "s");
    assertThat(c.port()).isEqualTo(2222);
    assertThat(c.lightningUrl()).isEqualTo("ws://localhost:4000/worker");
    assertThat(c.capacity()).isEqualTo(5);
    assertThat(c.workloops().get(0).id()).isEqualTo("manual>*:5");
    assertThat(c.backoffMinMs()).isEqualTo(1000);
    assertThat(c.backoffMaxMs()).isEqualTo(10_000);
    assertThat(c.loop()).isTrue();
    assertThat(c.messageTimeoutSeconds()).isEqualTo(30);
    assertThat(c.claimTimeoutSeconds()).isEqualTo(3600);
    assertThat(c.runMemoryMb()).isEqualTo(500);
    assertThat(c.payloadMemoryMb()).isEqualTo(10);
    assertThat(c.logPayloadMemoryMb()).isEqualTo(1);
    assertThat(c.maxRunDurationSeconds()).isEqualTo(300);
    assertThat(c.statePropsToRemove()).containsExactly("configuration", "response");
    assertThat(c.batchLogs()).isFalse();
    assertThat(c.batchIntervalMs()).isEqualTo(10);
    assertThat(c.batchLimit()).isEqualTo(50);
    assertThat(c.collectionsUrl()).isNull();
    assertThat(c.workerName()).isNull();
  }

  @Test
  void environmentFillsWhatTheCommandLineDoesNotGive() {
    Map<String, String> env = Map.ofEntries(
        Map.entry("WORKER_SECRET", "from-env"), Map.entry("WORKER_PORT", "3000"),
        Map.entry("WORKER_LIGHTNING_SERVICE_URL", "wss://app.openfn.org/worker"),
        Map.entry("WORKER_WORKLOOPS", "fast_lane:1 manual>*:2"), Map.entry("WORKER_BACKOFF", "0.5/2"),
        Map.entry("WORKER_MESSAGE_TIMEOUT_SECONDS", "5"), Map.entry("WORKER_MAX_RUN_MEMORY_MB", "1000"),
        Map.entry("WORKER_MAX_PAYLOAD_MB", "4"), Map.entry("WORKER_MAX_LOG_PAYLOAD_MB", "2"),
        Map.entry("WORKER_MAX_RUN_DURATION_SECONDS", "60"), Map.entry("WORKER_STATE_PROPS_TO_REMOVE", "a,b"),
        Map.entry("WORKER_BATCH_LOGS", "1"), Map.entry("WORKER_BATCH_INTERVAL", "20"),
        Map.entry("WORKER_BATCH_LIMIT", "5"), Map.entry("WORKER_COLLECTIONS_URL", "http://c/collections"),
        Map.entry("WORKER_COLLECTIONS_VERSION", "0.8.3"), Map.entry("WORKER_REPO_DIR", "/tmp/r"),
        Map.entry("WORKER_LIGHTNING_PUBLIC_KEY", "a2V5"), Map.entry("DEPLOYED_POD_NAME", "pod-7"),
        Map.entry("WORKER_CLAIM_TIMEOUT_SECONDS", "10"));
    WorkerConfig c = config(env, "--port", "4444");
    assertThat(c.port()).isEqualTo(4444);
    assertThat(c.secret()).isEqualTo("from-env");
    assertThat(c.lightningUrl()).isEqualTo("wss://app.openfn.org/worker");
    assertThat(c.capacity()).isEqualTo(3);
    assertThat(c.backoffMinMs()).isEqualTo(500);
    assertThat(c.backoffMaxMs()).isEqualTo(2000);
    assertThat(c.messageTimeoutSeconds()).isEqualTo(5);
    assertThat(c.claimTimeoutSeconds()).isEqualTo(10);
    assertThat(c.runMemoryMb()).isEqualTo(1000);
    assertThat(c.payloadMemoryMb()).isEqualTo(4);
    assertThat(c.logPayloadMemoryMb()).isEqualTo(2);
    assertThat(c.maxRunDurationSeconds()).isEqualTo(60);
    assertThat(c.statePropsToRemove()).containsExactly("a", "b");
    assertThat(c.batchLogs()).isTrue();
    assertThat(c.batchIntervalMs()).isEqualTo(20);
    assertThat(c.batchLimit()).isEqualTo(5);
    assertThat(c.collectionsUrl()).isEqualTo("http://c/collections");
    assertThat(c.collectionsVersion()).isEqualTo("0.8.3");
    assertThat(c.repoDir()).isEqualTo(Path.of("/tmp/r"));
    assertThat(c.lightningPublicKey()).isEqualTo("a2V5");
    assertThat(c.workerName()).isEqualTo("pod-7");
    assertThat(config(Map.of("WORKER_NAME", "w", "DEPLOYED_POD_NAME", "p"), "-s", "x").workerName()).isEqualTo("w");
  }

  @Test
  void aliasesMockAndNoLoop() {
    WorkerConfig c = config(Map.of(), "-l", "mock", "-p", "1", "--no-loop", "--batch-logs", "-t", "7", "--capacity", "2");
    assertThat(c.lightningUrl()).isEqualTo("ws://localhost:8888/worker");
    assertThat(c.secret()).isNull();
    assertThat(c.loop()).isFalse();
    assertThat(c.batchLogs()).isTrue();
    assertThat(c.maxRunDurationSeconds()).isEqualTo(7);
    assertThat(c.workloops()).hasSize(1);
    assertThat(c.capacity()).isEqualTo(2);
    assertThat(config(Map.of(), "--lightning-service-url", "ws://h/worker", "--debug").lightningUrl()).isEqualTo("ws://h/worker");
    assertThat(config(Map.of("WORKER_BATCH_LOGS", "yes"), "-s", "x").batchLogs()).isFalse();
  }

  @Test
  void invalidCombinationsSayWhatToDo() {
    assertThatThrownBy(() -> config(Map.of())).hasMessageContaining("WORKER_SECRET is not set");
    assertThatThrownBy(() -> config(Map.of(), "-s", "x", "--capacity", "2", "--workloops", "a:1"))
        .hasMessageContaining("cannot be used together");
    assertThatThrownBy(() -> config(Map.of(), "-s", "x", "--backoff", "3")).hasMessageContaining("<min>/<max>");
    assertThat(WorkerEnvironment.VARIABLES.values()).hasSize(32).doesNotHaveDuplicates();
    assertThat(List.of("--port", "--lightning", "--secret")).allSatisfy(o -> assertThat(WorkerEnvironment.VARIABLES).containsKey(o));
  }
}
