package dev.kiln.cli;

import static dev.kiln.cli.LightningPlans.first;
import static dev.kiln.cli.LightningPlans.job;
import static dev.kiln.cli.LightningPlans.last;
import static dev.kiln.cli.LightningPlans.oneJob;
import static dev.kiln.cli.LightningPlans.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.cli.WorkerScenariosIntegrationTest.Mode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Worker-level defaults against per-run options (spec §9.2 26, 28, 29, 38): a worker with
 * {@code --payload-memory 0}, a 2 s message timeout and a 1 s default run timeout (the reference's
 * scenario 26 sets 100 ms on its engine; the worker option is in whole seconds).
 */
@Tag("integration")
class WorkerDefaultsIntegrationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(180);

  @ParameterizedTest
  @EnumSource(Mode.class)
  void workerPayloadLimitIsOverriddenByThePlanAndCredentialFetchesTimeOut(Mode mode) throws Exception {
    try (DevPlatform platform = DevPlatform.start(Files.createTempDirectory("kiln-defaults"), mode.quirks,
        "--payload-memory", "0", "--message-timeout", "2", "--max-run-duration-seconds", "3")) {
      JsonNode killed = last(platform.events(platform.submit(oneJob("export default [s => new Promise((resolve) => setTimeout(() => resolve(s), 60000))];")),
          TIMEOUT)).payload();
      assertThat(killed.path("reason").asText()).as("%s", killed).isEqualTo("kill");
      assertThat(killed.path("error_type").asText()).isEqualTo("TimeoutError");
      assertThat(killed.path("error_message").asText()).isEqualTo("Workflow failed to return within 3000ms");
      // issue 5: a longer run_timeout_ms does not lift the worker's setting (the reference lets it)
      JsonNode capped = last(platform.events(platform.submit(withLongRunTimeout(oneJob(
          "export default [s => new Promise((resolve) => setTimeout(() => resolve(s), 60000))];"))), TIMEOUT)).payload();
      assertThat(capped.path("error_message").asText()).isEqualTo("Workflow failed to return within 3000ms");

      String body = "export default [s => ({ data: 'aaaa' })];";
      List<DevPlatform.Event> withheld = platform.events(platform.submit(withLongRunTimeout(oneJob(body))), TIMEOUT);
      if (mode.quirks) {
        // lightning-mock rejects a step:complete without a dataclip: the run says so (issue 5) instead of success
        JsonNode complete = last(withheld).payload();
        assertThat(complete.path("reason").asText()).isEqualTo("exception");
        assertThat(complete.path("error_type").asText()).isEqualTo("EventRejected");
        assertThat(complete.path("error_message").asText()).contains("step:complete")
            .contains("output_dataclip and output_dataclip_id are required");
      } else {
        assertThat(last(withheld).payload().path("reason").asText()).isEqualTo("success");
        JsonNode step = first(withheld, "step:complete").payload();
        assertThat(step.path("output_dataclip_error").asText()).isEqualTo("DATACLIP_TOO_LARGE");
        assertThat(step.has("output_dataclip_id")).isFalse();
      }

      ObjectNode allowed = withLongRunTimeout(oneJob(body));
      options(allowed).put("payload_limit_mb", 100);
      JsonNode step = first(platform.events(platform.submit(allowed), TIMEOUT), "step:complete").payload();
      assertThat(step.path("output_dataclip").asText()).isEqualTo("{\"data\":\"aaaa\"}");
      assertThat(step.path("output_dataclip_id").asText()).isNotEmpty();

      if (mode.quirks) { // lightning-mock never answers this credential id
        ObjectNode silent = withLongRunTimeout(oneJob("export default [s => s];"));
        job(silent, 0).put("credential_id", "%TIMEOUT%");
        JsonNode complete = last(platform.events(platform.submit(silent), TIMEOUT)).payload();
        assertThat(complete.path("reason").asText()).isEqualTo("exception");
        assertThat(complete.path("error_type").asText()).isEqualTo("CredentialLoadError");
        assertThat(complete.path("error_message").asText())
            .isEqualTo("Failed to load credential %TIMEOUT%: [fetch:credential] timeout");
      }
    }
  }

  /** A run_timeout_ms of 120 s: the worker's 3 s still bounds the run (issue 5), long enough for these jobs. */
  private static ObjectNode withLongRunTimeout(ObjectNode submission) {
    options(submission).put("run_timeout_ms", 120_000);
    return submission;
  }
}
