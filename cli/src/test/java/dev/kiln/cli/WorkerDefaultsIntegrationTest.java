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
 * Worker-level defaults against per-run options (spec §9.2 28, 29, 38): a worker with
 * {@code --payload-memory 0} and a 2 s message timeout.
 */
@Tag("integration")
class WorkerDefaultsIntegrationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(180);

  @ParameterizedTest
  @EnumSource(Mode.class)
  void workerPayloadLimitIsOverriddenByThePlanAndCredentialFetchesTimeOut(Mode mode) throws Exception {
    try (DevPlatform platform = DevPlatform.start(Files.createTempDirectory("kiln-defaults"), mode.quirks,
        "--payload-memory", "0", "--message-timeout", "2")) {
      String body = "export default [s => ({ data: 'aaaa' })];";
      List<DevPlatform.Event> withheld = platform.events(platform.submit(oneJob(body)), TIMEOUT);
      assertThat(last(withheld).payload().path("reason").asText()).isEqualTo("success");
      if (mode.quirks) {
        assertThat(platform.worker.output()).contains("output_dataclip and output_dataclip_id are required");
      } else {
        JsonNode step = first(withheld, "step:complete").payload();
        assertThat(step.path("output_dataclip_error").asText()).isEqualTo("DATACLIP_TOO_LARGE");
        assertThat(step.has("output_dataclip_id")).isFalse();
      }

      ObjectNode allowed = oneJob(body);
      options(allowed).put("payload_limit_mb", 100);
      JsonNode step = first(platform.events(platform.submit(allowed), TIMEOUT), "step:complete").payload();
      assertThat(step.path("output_dataclip").asText()).isEqualTo("{\"data\":\"aaaa\"}");
      assertThat(step.path("output_dataclip_id").asText()).isNotEmpty();

      if (mode.quirks) { // lightning-mock never answers this credential id
        ObjectNode silent = oneJob("export default [s => s];");
        job(silent, 0).put("credential_id", "%TIMEOUT%");
        JsonNode complete = last(platform.events(platform.submit(silent), TIMEOUT)).payload();
        assertThat(complete.path("reason").asText()).isEqualTo("exception");
        assertThat(complete.path("error_type").asText()).isEqualTo("CredentialLoadError");
        assertThat(complete.path("error_message").asText())
            .isEqualTo("Failed to load credential %TIMEOUT%: [fetch:credential] timeout");
      }
    }
  }
}
