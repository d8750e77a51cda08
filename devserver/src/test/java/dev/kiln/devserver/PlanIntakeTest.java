package dev.kiln.devserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class PlanIntakeTest {
  @Test
  void lightningPlanKeepsItsShapeAndMovesInlineCredentialsOut() {
    PlanIntake.Intake intake = PlanIntake.read(Json.parse("""
        {"name": "wf", "starting_node_id": "t",
         "triggers": [{"id": "t"}],
         "jobs": [{"id": "a", "adaptor": "@openfn/language-common@2.1.1", "body": "fn(s => s)",
                   "credential": {"user": "u"}},
                  {"id": "b", "body": "fn(s => s)", "credential_id": "c1"}],
         "edges": [{"id": "e1", "source_trigger_id": "t", "target_job_id": "a", "condition": "always"},
                   {"id": "e2", "source_job_id": "a", "target_job_id": "b", "condition": "on_job_failure",
                    "enabled": false}],
         "options": {"run_timeout_ms": 1000, "sanitize": "obfuscate", "unknown": 1, "job_log_level": null}}
        """));
    JsonNode plan = intake.plan();
    assertThat(plan.get("name").asText()).isEqualTo("wf");
    assertThat(plan.get("starting_node_id").asText()).isEqualTo("t");
    JsonNode a = plan.get("jobs").get(0);
    assertThat(a.has("credential")).isFalse();
    assertThat(intake.credentials()).containsOnlyKeys(a.get("credential_id").asText());
    assertThat(intake.credentials().get(a.get("credential_id").asText()).get("user").asText()).isEqualTo("u");
    assertThat(plan.get("jobs").get(1).get("credential_id").asText()).isEqualTo("c1");
    assertThat(plan.get("edges").get(0).get("enabled").asBoolean()).isTrue();
    assertThat(plan.get("edges").get(1).get("enabled").asBoolean()).isFalse();
    assertThat(Json.write(plan.get("options"))).isEqualTo("{\"run_timeout_ms\":1000,\"sanitize\":\"obfuscate\"}");
  }

  @Test
  void cliWorkflowBecomesJobsTriggersAndEdges() {
    PlanIntake.Intake intake = PlanIntake.read(Json.parse("""
        {"workflow": {"name": "cli", "steps": [
           {"id": "trigger", "next": "a"},
           {"id": "a", "adaptors": ["common@1.7.7"], "expression": "fn(s => s)",
            "configuration": {"password": "p"},
            "next": {"b": {"condition": "on_job_success"}, "c": "state.x > 1", "d": {"disabled": true}}},
           {"id": "b", "adaptor": "@openfn/language-http", "expression": "fn(s => s)", "configuration": "cred-b"},
           {"id": "c", "expression": "fn(s => s)"},
           {"id": "d", "expression": "fn(s => s)"}]},
         "options": {"start": "a", "run_timeout_ms": 5000}}
        """));
    JsonNode plan = intake.plan();
    assertThat(plan.get("starting_node_id").asText()).isEqualTo("a");
    assertThat(plan.get("triggers")).hasSize(1);
    assertThat(plan.get("jobs")).hasSize(4);
    JsonNode a = plan.get("jobs").get(0);
    assertThat(a.get("adaptor").asText()).isEqualTo("@openfn/language-common@1.7.7");
    assertThat(a.get("body").asText()).isEqualTo("fn(s => s)");
    assertThat(intake.credentials().get(a.get("credential_id").asText()).get("password").asText()).isEqualTo("p");
    assertThat(plan.get("jobs").get(1).get("credential_id").asText()).isEqualTo("cred-b");
    assertThat(plan.get("jobs").get(1).get("adaptor").asText()).isEqualTo("@openfn/language-http");
    JsonNode edges = plan.get("edges");
    assertThat(edges).hasSize(4);
    assertThat(edges.get(0).get("source_trigger_id").asText()).isEqualTo("trigger");
    assertThat(edges.get(0).get("condition").asText()).isEqualTo("always");
    assertThat(edges.get(1).get("source_job_id").asText()).isEqualTo("a");
    assertThat(edges.get(1).get("condition").asText()).isEqualTo("on_job_success");
    assertThat(edges.get(2).get("condition").asText()).isEqualTo("state.x > 1");
    assertThat(edges.get(3).get("enabled").asBoolean()).isFalse();
    assertThat(plan.get("options").get("run_timeout_ms").asLong()).isEqualTo(5000);
  }

  @Test
  void mistakesAreReportedWithWhatToChange() {
    assertThatThrownBy(() -> PlanIntake.read(Json.parse("{\"jobs\": []}")))
        .hasMessageContaining("no jobs");
    assertThatThrownBy(() -> PlanIntake.read(Json.parse("{\"jobs\": [{\"id\": \"a\"}]}")))
        .hasMessage("Job a has no body: set \"body\" to the job's code");
    assertThatThrownBy(() -> PlanIntake.read(Json.parse("""
        {"jobs": [{"id": "a", "body": "x"}], "edges": [{"id": "e", "source_job_id": "a", "target_job_id": "z"}]}
        """))).hasMessage("Edge e: target_job_id z is not a job of the plan");
    assertThatThrownBy(() -> PlanIntake.read(Json.parse("{\"steps\": [{\"id\": \"s\", \"expression\": \"job.js\"}]}")))
        .hasMessageContaining("Step s: \"expression\" looks like a file path (job.js)");
    assertThatThrownBy(() -> PlanIntake.read(Json.parse("""
        {"jobs": [{"id": "a", "body": "x"}, {"id": "a", "body": "y"}]}
        """))).hasMessageContaining("Job id a is used twice");
  }
}
