package dev.kiln.lightning.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.lightning.protocol.LightningJson;
import dev.kiln.lightning.protocol.LightningPlan;
import dev.kiln.lightning.protocol.LightningPlan.Edge;
import dev.kiln.lightning.protocol.LightningPlan.Job;
import dev.kiln.lightning.protocol.LightningPlan.Trigger;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Lightning plan → execution plan, as the reference's {@code convert-lightning-plan.ts} (spec
 * §4.2, §4.5). Pure: the same plan and settings give the same result (jobs without an id get a
 * random UUID).
 */
public final class PlanConverter {
  public static final String COLLECTIONS_ADAPTOR = "@openfn/language-collections";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Pattern USES_COLLECTIONS = Pattern.compile("(collections\\.)");

  /**
   * The worker's settings that shape a plan.
   *
   * @param collectionsVersion {@code --collections-version} (resolved): jobs whose body uses
   *     {@code collections.} get {@code @openfn/language-collections@<version>}; null: none
   * @param collectionsUrl {@code --collections-url}: the workflow gets {@code credentials} with
   *     {@code collections_token} (the run token), {@code collections_endpoint}, {@code
   *     project_id}; null: none
   * @param monorepoDir {@code --monorepo-dir}: {@code <adaptor>@local} steps get a {@code linker}
   *     entry pointing into it; null: none
   */
  public record Settings(String collectionsVersion, String collectionsUrl, Path monorepoDir) {
    public static final Settings NONE = new Settings(null, null, null);
  }

  private PlanConverter() {}

  /** Converts the reply of {@code fetch:plan}; a plan of the wrong shape is a {@link PlanException}. */
  public static ConvertedPlan convert(JsonNode lightningPlan, Settings settings, String runToken) {
    if (lightningPlan == null || !lightningPlan.isObject()) {
      throw new PlanException("the plan from Lightning is not an object: " + lightningPlan);
    }
    LightningPlan run;
    try {
      run = LightningJson.read(lightningPlan, LightningPlan.class);
    } catch (IllegalArgumentException e) {
      throw new PlanException("the plan from Lightning cannot be read: " + e.getMessage());
    }
    return convert(run, settings, runToken);
  }

  public static ConvertedPlan convert(LightningPlan run, Settings settings, String runToken) {
    ArrayNode steps = JSON.arrayNode();
    for (Trigger trigger : run.triggers()) {
      steps.add(triggerStep(run, trigger));
    }
    for (Job job : run.jobs()) {
      steps.add(jobStep(run, job, settings));
    }

    ObjectNode workflow = JSON.objectNode();
    workflow.set("steps", steps);
    if (run.name() != null) {
      workflow.put("name", run.name());
    }
    if (run.globals() != null && run.globals().isTextual()) {
      workflow.put("globals", run.globals().asText());
    }
    if (settings.collectionsUrl() != null) {
      ObjectNode credentials = workflow.putObject("credentials");
      credentials.put("collections_token", runToken);
      credentials.put("collections_endpoint", settings.collectionsUrl());
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
    ObjectNode options = run.options() == null ? JSON.objectNode() : run.options().deepCopy();
    return new ConvertedPlan(plan, input, options);
  }

  private static ObjectNode triggerStep(LightningPlan run, Trigger trigger) {
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

  private static ObjectNode jobStep(LightningPlan run, Job job, Settings settings) {
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
    if (settings.collectionsVersion() != null && job.body() != null
        && USES_COLLECTIONS.matcher(job.body()).find() && !hasCollectionsAdaptor(adaptors)) {
      adaptors.add(COLLECTIONS_ADAPTOR + "@" + settings.collectionsVersion());
    }
    if (settings.monorepoDir() != null) {
      ObjectNode linker = JSON.objectNode();
      for (JsonNode adaptor : adaptors) {
        AdaptorSpec spec = AdaptorSpec.parse(adaptor.asText());
        if ("local".equals(spec.version())) {
          String shortName = spec.name().replaceFirst("^@openfn/language-", "");
          linker.putObject(spec.name())
              .put("path", settings.monorepoDir().resolve("packages").resolve(shortName).toString())
              .put("version", "local");
        }
      }
      if (!linker.isEmpty()) {
        step.set("linker", linker);
      }
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
      if (AdaptorSpec.parse(adaptor.asText()).name().equals(COLLECTIONS_ADAPTOR)) {
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

  /** {@code @scope/name@version} split at the last {@code @} after the first character. */
  private record AdaptorSpec(String name, String version) {
    static AdaptorSpec parse(String specifier) {
      int at = specifier.lastIndexOf('@');
      return at > 0
          ? new AdaptorSpec(specifier.substring(0, at), specifier.substring(at + 1))
          : new AdaptorSpec(specifier, null);
    }
  }
}
