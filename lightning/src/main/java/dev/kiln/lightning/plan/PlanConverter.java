package dev.kiln.lightning.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.lightning.protocol.LightningPlan;
import dev.kiln.lightning.protocol.LightningPlan.Edge;
import dev.kiln.lightning.protocol.LightningPlan.Job;
import dev.kiln.lightning.protocol.LightningPlan.Trigger;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Lightning plan → execution plan, as the reference's {@code convert-lightning-plan.ts} (spec
 * §4.2, §4.5). Pure: the same plan and settings give the same result (jobs without an id get a
 * random UUID).
 */
public final class PlanConverter {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Pattern USES_COLLECTIONS = Pattern.compile("(collections\\.)");

  private final CollectionsWiring collections;

  /** @param collections null when the worker has no {@code --collections-url} */
  public PlanConverter(CollectionsWiring collections) {
    this.collections = collections;
  }

  /**
   * @param runToken the run's token, injected as {@code collections_token} when collections are
   *     wired
   */
  public ConvertedPlan convert(LightningPlan run, String runToken) {
    ArrayNode steps = JSON.arrayNode();
    for (Trigger trigger : run.triggers()) {
      steps.add(triggerStep(run, trigger));
    }
    for (Job job : run.jobs()) {
      steps.add(jobStep(run, job));
    }

    ObjectNode workflow = JSON.objectNode();
    workflow.set("steps", steps);
    if (run.name() != null) {
      workflow.put("name", run.name());
    }
    if (run.globals() != null && run.globals().isTextual()) {
      workflow.put("globals", run.globals().asText());
    }
    if (collections != null) {
      ObjectNode credentials = workflow.putObject("credentials");
      credentials.put("collections_token", runToken);
      credentials.put("collections_endpoint", collections.url());
      if (run.projectId() != null) {
        credentials.put("project_id", run.projectId());
      }
    }

    ObjectNode plan = JSON.objectNode();
    plan.put("id", run.id());
    plan.set("workflow", workflow);
    ObjectNode planOptions = plan.putObject("options");
    if (run.startingNodeId() != null && !run.startingNodeId().isEmpty()) {
      planOptions.put("start", run.startingNodeId());
    }
    String input = run.dataclipId() == null || run.dataclipId().isEmpty() ? null : run.dataclipId();
    return new ConvertedPlan(plan, RunOptions.from(run.options()), input);
  }

  private ObjectNode triggerStep(LightningPlan run, Trigger trigger) {
    String id = trigger.id() == null || trigger.id().isEmpty() ? "trigger" : trigger.id();
    ObjectNode step = JSON.objectNode().put("id", id);
    ObjectNode next = JSON.objectNode();
    for (Edge edge : run.edges()) {
      if (!id.equals(edge.sourceTriggerId()) || Boolean.FALSE.equals(edge.enabled())) {
        continue; // a disabled trigger edge is left out
      }
      String target = requireTarget(edge);
      if (edge.condition() == null || "always".equals(edge.condition())) {
        next.put(target, true);
      } else {
        next.put(target, edge.condition());
      }
    }
    if (!next.isEmpty()) {
      step.set("next", next);
    }
    return step;
  }

  private ObjectNode jobStep(LightningPlan run, Job job) {
    String id = job.id() == null || job.id().isEmpty() ? UUID.randomUUID().toString() : job.id();
    ObjectNode step = JSON.objectNode().put("id", id);
    JsonNode credential = job.credential();
    if (credential != null && !credential.isNull() && !(credential.isTextual() && credential.asText().isEmpty())) {
      step.set("configuration", credential);
    } else if (job.credentialId() != null && !job.credentialId().isEmpty()) {
      step.put("configuration", job.credentialId());
    }
    step.put("expression", job.body() == null ? "" : job.body());
    ArrayNode adaptors = step.putArray("adaptors");
    if (job.adaptor() != null && !job.adaptor().isEmpty()) {
      adaptors.add(job.adaptor());
    }
    if (collections != null && job.body() != null && USES_COLLECTIONS.matcher(job.body()).find()
        && !hasCollectionsAdaptor(adaptors)) {
      adaptors.add(collections.adaptorSpecifier());
    }
    if (job.name() != null) {
      step.put("name", job.name());
    }
    if (job.state() != null && !job.state().isNull()) {
      step.set("state", job.state());
    }
    ObjectNode next = JSON.objectNode();
    for (Edge edge : run.edges()) {
      if (!id.equals(edge.sourceJobId())) {
        continue;
      }
      ObjectNode link = JSON.objectNode();
      if (edge.condition() != null && !edge.condition().isEmpty()) {
        link.put("condition", edge.condition());
      }
      if (Boolean.FALSE.equals(edge.enabled())) {
        link.put("disabled", true);
      }
      if (link.isEmpty()) {
        next.put(requireTarget(edge), true);
      } else {
        next.set(requireTarget(edge), link);
      }
    }
    if (!next.isEmpty()) {
      step.set("next", next);
    }
    return step;
  }

  private static boolean hasCollectionsAdaptor(ArrayNode adaptors) {
    for (JsonNode adaptor : adaptors) {
      String spec = adaptor.asText();
      if (spec.equals(CollectionsWiring.ADAPTOR) || spec.startsWith(CollectionsWiring.ADAPTOR + "@")) {
        return true;
      }
    }
    return false;
  }

  private static String requireTarget(Edge edge) {
    if (edge.targetJobId() == null || edge.targetJobId().isEmpty()) {
      throw new PlanException("edge " + edge.id() + " has no target_job_id: every edge must point at a job");
    }
    return edge.targetJobId();
  }
}
