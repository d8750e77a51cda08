package dev.kiln.cli;

import static dev.kiln.cli.LightningPlans.last;
import static dev.kiln.cli.LightningPlans.logs;
import static dev.kiln.cli.LightningPlans.oneJob;
import static dev.kiln.cli.LightningPlans.options;
import static dev.kiln.cli.LightningPlans.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.cli.WorkerScenariosIntegrationTest.Mode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Nothing gets lost: a socket dropped mid-run, and a burst of mixed runs at full capacity. */
@Tag("integration")
class WorkerResilienceIntegrationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(240);

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aSocketDroppedMidRunReconnectsAndTheRunCompletes(Mode mode) throws Exception {
    try (DevPlatform platform = DevPlatform.start(Files.createTempDirectory("kiln-drop"), mode.quirks, "--capacity", "1")) {
      String id = platform.submit(oneJob("export default [async s => { console.log('before');"
          + " await new Promise(resolve => setTimeout(resolve, 2500)); console.log('after');"
          + " return { data: { survived: true } }; }];"));
      platform.awaitEvent(id, "step:start", TIMEOUT);
      platform.server.dropWorkerConnections();

      List<DevPlatform.Event> events = platform.events(id, TIMEOUT);
      JsonNode complete = last(events).payload();
      assertThat(last(events).name()).isEqualTo("run:complete");
      assertThat(complete.path("reason").asText()).isEqualTo("success");
      assertThat(complete.path("final_state").path("data").path("survived").asBoolean()).isTrue();
      assertThat(logs(events).stream().map(LightningPlans::text)).contains("before", "after");
      assertThat(events.stream().filter(e -> e.name().equals("step:complete"))).hasSize(1);
      assertThat(platform.run(id).path("state").asText()).isEqualTo("success");
      assertThat(platform.server.sweepLostRuns()).doesNotContain(id);
      assertThat(platform.worker.output()).contains("disconnected from");

      String after = platform.submit(oneJob("export default [s => ({ data: { next: true } })];"));
      assertThat(last(platform.events(after, TIMEOUT)).payload().path("reason").asText()).isEqualTo("success");
    }
  }

  @Test
  void aDevServerThatGoesAwayMidRunAndComesBackGetsTheWholeRun() throws Exception {
    java.nio.file.Path dir = Files.createTempDirectory("kiln-restart");
    try (DevPlatform platform = DevPlatform.start(dir, false, "--capacity", "1")) {
      String id = platform.submit(oneJob("export default [async s => { console.log('before');"
          + " await new Promise(resolve => setTimeout(resolve, 3000)); console.log('after');"
          + " return { data: { survived: true } }; }];"));
      platform.awaitEvent(id, "step:start", TIMEOUT);
      platform.restartServer(dir);

      List<DevPlatform.Event> events = platform.events(id, TIMEOUT);
      assertThat(last(events).name()).isEqualTo("run:complete");
      assertThat(last(events).payload().path("reason").asText()).isEqualTo("success");
      assertThat(logs(events).stream().map(LightningPlans::text)).contains("before", "after");
      assertThat(platform.run(id).path("state").asText()).isEqualTo("success");
    }
  }

  @Test
  void twentyMixedRunsAtCapacityFiveAllEndWithTheirReasons() throws Exception {
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("success", "export default [s => ({ data: { ok: true } })];");
    bodies.put("fail", "export default [s => { throw new Error('job failed'); }];");
    bodies.put("crash", "export default [s => s +];");
    bodies.put("kill", "export default [s => { while (true) {} }];");
    try (DevPlatform platform = DevPlatform.start(Files.createTempDirectory("kiln-burst"), false, "--capacity", "5")) {
      Map<String, String> expected = new LinkedHashMap<>();
      for (int i = 0; i < 5; i++) {
        for (Map.Entry<String, String> kind : bodies.entrySet()) {
          ObjectNode submission = oneJob(kind.getValue());
          if (kind.getKey().equals("kill")) {
            options(submission).put("run_timeout_ms", 4000);
          }
          expected.put(platform.submit(submission), kind.getKey());
        }
      }
      Map<String, String> states = Map.of("success", "success", "fail", "failed", "crash", "crashed", "kill", "killed");
      for (Map.Entry<String, String> run : expected.entrySet()) {
        List<DevPlatform.Event> events = platform.events(run.getKey(), TIMEOUT);
        assertThat(last(events).name()).as(run.getValue()).isEqualTo("run:complete");
        JsonNode complete = last(events).payload();
        assertThat(complete.path("reason").asText()).as("run %s", run).isEqualTo(run.getValue());
        assertThat(platform.run(run.getKey()).path("state").asText()).isEqualTo(states.get(run.getValue()));
      }
      assertThat(platform.server.sweepLostRuns()).isEmpty();
      assertThat(maxConcurrentRuns(platform.worker.output())).isBetween(1, 5);
    }
  }

  /** From the worker's log: the most runs between "claimed run X" and "run X done" at once. */
  private static int maxConcurrentRuns(String output) {
    Set<String> active = new HashSet<>();
    int max = 0;
    List<String> lines = new ArrayList<>(List.of(output.split("\n")));
    for (String line : lines) {
      int claimed = line.indexOf("claimed run ");
      if (claimed >= 0) {
        active.add(line.substring(claimed + 12).split(" ")[0]);
        max = Math.max(max, active.size());
      }
      if (line.contains("INFO: run ") && line.endsWith(" done")) {
        active.remove(line.substring(line.indexOf("INFO: run ") + 10, line.length() - 5));
      }
    }
    return max;
  }
}
