package dev.kiln.lightning.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.lightning.protocol.LightningJson;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PlanConverterTest {
  private static ConvertedPlan convert(String json) {
    return PlanConverter.convert(LightningJson.parse(json), PlanConverter.Settings.NONE, "tok");
  }

  private static JsonNode steps(ConvertedPlan converted) {
    return converted.plan().path("workflow").path("steps");
  }

  private static final String SPEC_EXAMPLE = """
      {"id":"run-1","project_id":"p1","dataclip_id":"d1","starting_node_id":"t1",
       "triggers":[{"id":"t1"}],
       "jobs":[
         {"id":"j1","name":"Fetch","adaptor":"@openfn/language-http@7.2.9","credential_id":"c9","body":"get('https://x');"},
         {"id":"j2","name":"Handle error","adaptor":"@openfn/language-common@2.1.1","credential_id":null,"body":"fn(s => s)"},
         {"id":"j3","adaptor":"@openfn/language-common@2.1.1","body":"fn(s => s)"},
         {"id":"j4","adaptor":"@openfn/language-common@2.1.1","body":"fn(s => s)"}],
       "edges":[
         {"id":"e1","source_trigger_id":"t1","source_job_id":null,"target_job_id":"j1","condition":"always","enabled":true},
         {"id":"e2","source_trigger_id":null,"source_job_id":"j1","target_job_id":"j2","condition":"on_job_failure","enabled":true},
         {"id":"e3","source_job_id":"j1","target_job_id":"j3","condition":"!state.errors && state.data.ok === true","enabled":false},
         {"id":"e4","source_job_id":"j1","target_job_id":"j4"}],
       "options":{"output_dataclips":false,"run_timeout_ms":300000,"run_memory_limit_mb":1000,"job_log_level":"none"}}""";

  @Test
  void convertsTheSpecExample() {
    ConvertedPlan converted = convert(SPEC_EXAMPLE);
    assertThat(converted.plan().path("id").asText()).isEqualTo("run-1");
    assertThat(converted.plan().path("options").toString()).isEqualTo("{\"start\":\"t1\"}");
    assertThat(converted.dataclipId()).isEqualTo("d1");
    JsonNode steps = steps(converted);
    assertThat(steps).hasSize(5);
    assertThat(steps.get(0).toString()).isEqualTo("{\"id\":\"t1\",\"next\":{\"j1\":true}}");
    assertThat(steps.get(1).toString()).isEqualTo(
        "{\"id\":\"j1\",\"configuration\":\"c9\",\"expression\":\"get('https://x');\","
            + "\"adaptors\":[\"@openfn/language-http@7.2.9\"],\"name\":\"Fetch\","
            + "\"next\":{\"j2\":{\"condition\":\"on_job_failure\"},"
            + "\"j3\":{\"condition\":\"!state.errors && state.data.ok === true\",\"disabled\":true},\"j4\":true}}");
    assertThat(steps.get(2).has("configuration")).as("null credential_id").isFalse();
    assertThat(steps.get(2).has("next")).isFalse();
  }

  @Test
  void disabledTriggerEdgesAreLeftOutAndConditionsKept() {
    JsonNode steps = steps(convert("""
        {"id":"r","triggers":[{"id":"t"}],"jobs":[{"id":"a","body":"x"},{"id":"b","body":"y"},{"id":"c","body":"z"}],
         "edges":[{"source_trigger_id":"t","target_job_id":"a","condition":"always","enabled":false},
                  {"source_trigger_id":"t","target_job_id":"b","condition":"state.data.go"},
                  {"source_trigger_id":"t","target_job_id":"c"}]}"""));
    assertThat(steps.get(0).path("next").toString()).isEqualTo("{\"b\":\"state.data.go\",\"c\":true}");
  }

  @Test
  void triggerWithoutEdgesHasNoNextAndDefaultsItsId() {
    JsonNode steps = steps(convert("{\"id\":\"r\",\"triggers\":[{}],\"jobs\":[{\"id\":\"a\",\"body\":\"x\"}],\"edges\":[]}"));
    assertThat(steps.get(0).toString()).isEqualTo("{\"id\":\"trigger\"}");
  }

  @Test
  void jobsWithoutIdGetAUuidAndWithoutAdaptorAnEmptyList() {
    JsonNode step = steps(convert("{\"id\":\"r\",\"jobs\":[{\"body\":\"x\"}]}")).get(0);
    assertThat(step.path("id").asText()).matches("[0-9a-f-]{36}");
    assertThat(step.path("adaptors").isEmpty()).isTrue();
  }

  @Test
  void inlineCredentialObjectsAndStatePassThrough() {
    JsonNode step = steps(convert("""
        {"id":"r","jobs":[{"id":"a","body":"x","credential":{"user":"u"},"credential_id":"ignored","state":{"data":{"k":1}}}]}""")).get(0);
    assertThat(step.path("configuration").toString()).isEqualTo("{\"user\":\"u\"}");
    assertThat(step.path("state").toString()).isEqualTo("{\"data\":{\"k\":1}}");
  }

  @Test
  void noStartingNodeNoDataclipNoOptions() {
    ConvertedPlan converted = convert("{\"id\":\"r\",\"dataclip_id\":\"\",\"jobs\":[{\"id\":\"a\",\"body\":\"x\"}]}");
    assertThat(converted.plan().path("options").isEmpty()).isTrue();
    assertThat(converted.dataclipId()).isNull();
    assertThat(converted.options().isEmpty()).isTrue();
    assertThat(converted.runOptions()).isEqualTo(RunOptions.NONE);
  }

  @Test
  void workflowNameAndStringGlobalsOnly() {
    assertThat(convert("{\"id\":\"r\",\"name\":\"wf\",\"globals\":\"export const x = 1\",\"jobs\":[]}")
            .plan().path("workflow").toString())
        .isEqualTo("{\"steps\":[],\"name\":\"wf\",\"globals\":\"export const x = 1\"}");
    assertThat(convert("{\"id\":\"r\",\"globals\":{\"x\":1},\"jobs\":[]}").plan().path("workflow").has("globals")).isFalse();
  }

  @Test
  void runOptionsKeepOnlyPresentKeys() {
    RunOptions options = convert(SPEC_EXAMPLE).runOptions();
    assertThat(options).isEqualTo(new RunOptions(300000L, 1000, null, null, false, "none", null));
    RunOptions limits = RunOptions.from(LightningJson.parse(
        "{\"payload_limit_mb\":0,\"log_payload_limit_mb\":\"2\",\"sanitize\":\"obfuscate\",\"run_timeout_ms\":null}"));
    assertThat(limits).isEqualTo(new RunOptions(null, null, 0.0, 2.0, null, null, "obfuscate"));
    assertThatThrownBy(() -> RunOptions.from(LightningJson.parse("{\"run_timeout_ms\":\"soon\"}")))
        .hasMessageContaining("run_timeout_ms must be a number");
  }

  @Test
  void collectionsAdaptorAndCredentialsAreWired() {
    PlanConverter.Settings settings = new PlanConverter.Settings("0.9.3", "http://127.0.0.1:4000/collections", null);
    ConvertedPlan converted = PlanConverter.convert(LightningJson.parse("""
        {"id":"r","project_id":"p1","jobs":[
          {"id":"a","adaptor":"@openfn/language-common@latest","body":"collections.get('c', 'k')"},
          {"id":"b","adaptor":"@openfn/language-common@latest","body":"fn(s => s)"},
          {"id":"c","adaptor":"@openfn/language-collections@0.8.0","body":"collections.set('c', 'k', 1)"}]}"""),
        settings, "run-jwt");
    JsonNode steps = steps(converted);
    assertThat(steps.get(0).path("adaptors").toString())
        .isEqualTo("[\"@openfn/language-common@latest\",\"@openfn/language-collections@0.9.3\"]");
    assertThat(steps.get(1).path("adaptors")).hasSize(1);
    assertThat(steps.get(2).path("adaptors").toString()).isEqualTo("[\"@openfn/language-collections@0.8.0\"]");
    assertThat(converted.plan().path("workflow").path("credentials").toString()).isEqualTo(
        "{\"collections_token\":\"run-jwt\",\"collections_endpoint\":\"http://127.0.0.1:4000/collections\",\"project_id\":\"p1\"}");
  }

  @Test
  void withoutCollectionsSettingsNothingIsWired() {
    ConvertedPlan converted = convert("{\"id\":\"r\",\"jobs\":[{\"id\":\"a\",\"body\":\"collections.get('c')\"}]}");
    assertThat(steps(converted).get(0).path("adaptors").isEmpty()).isTrue();
    assertThat(converted.plan().path("workflow").has("credentials")).isFalse();
  }

  @Test
  void localAdaptorsAreLinkedIntoTheMonorepo() {
    Path monorepo = Path.of("/repo/adaptors");
    JsonNode step = steps(PlanConverter.convert(LightningJson.parse(
        "{\"id\":\"r\",\"jobs\":[{\"id\":\"a\",\"adaptor\":\"@openfn/language-common@local\",\"body\":\"x\"},"
            + "{\"id\":\"b\",\"adaptor\":\"@openfn/language-common@1.0.0\",\"body\":\"x\"}]}"),
        new PlanConverter.Settings(null, null, monorepo), "t")).get(0);
    assertThat(step.path("linker").toString()).isEqualTo(
        "{\"@openfn/language-common\":{\"path\":\"" + monorepo.resolve("packages/common") + "\",\"version\":\"local\"}}");
  }

  @Test
  void badPlansSayWhatIsWrong() {
    assertThatThrownBy(() -> convert("[]")).isInstanceOf(PlanException.class).hasMessageContaining("not an object");
    assertThatThrownBy(() -> convert("{\"id\":\"r\",\"jobs\":[{\"id\":\"a\"}],\"edges\":[{\"id\":\"e9\",\"source_job_id\":\"a\"}]}"))
        .isInstanceOf(PlanException.class)
        .hasMessageContaining("edge e9 has no target_job_id");
    assertThatThrownBy(() -> convert("{\"id\":\"r\",\"jobs\":\"nope\"}")).isInstanceOf(PlanException.class);
  }
}
