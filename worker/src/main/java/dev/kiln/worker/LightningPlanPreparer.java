package dev.kiln.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.engine.install.AdaptorInstaller;
import dev.kiln.engine.install.RegistryConfig;
import dev.kiln.lightning.plan.ConvertedPlan;
import dev.kiln.lightning.plan.PlanConverter;
import java.util.logging.Logger;

/**
 * Converts {@code fetch:plan} replies with the lightning module's {@link PlanConverter} and the
 * worker's collections settings (spec §4.5): with {@code --collections-url} and no
 * {@code --collections-version}, the latest {@code @openfn/language-collections} is looked up
 * once, on first use.
 */
final class LightningPlanPreparer implements RunAttempt.PlanPreparer {
  private static final Logger LOG = Logger.getLogger(LightningPlanPreparer.class.getName());

  private final WorkerConfig config;
  private volatile PlanConverter.Settings settings;

  LightningPlanPreparer(WorkerConfig config) {
    this.config = config;
  }

  @Override
  public RunAttempt.PreparedRun prepare(JsonNode lightningPlan, String runToken) {
    ConvertedPlan converted = PlanConverter.convert(lightningPlan, settings(), runToken);
    return new RunAttempt.PreparedRun(converted.plan(), converted.dataclipId(),
        RunSettings.resolve(converted.runOptions(), config));
  }

  private PlanConverter.Settings settings() {
    PlanConverter.Settings s = settings;
    if (s == null) {
      synchronized (this) {
        if (settings == null) {
          settings = new PlanConverter.Settings(collectionsVersion(), config.collectionsUrl(), config.monorepoDir());
        }
        s = settings;
      }
    }
    return s;
  }

  private String collectionsVersion() {
    String version = config.collectionsVersion();
    if (config.collectionsUrl() == null || config.collectionsUrl().isBlank()
        || (version != null && !version.isBlank() && !"latest".equals(version))) {
      return version;
    }
    try {
      return new AdaptorInstaller(config.repoDir(), RegistryConfig.fromEnvironment())
          .resolve(PlanConverter.COLLECTIONS_ADAPTOR + "@latest").version();
    } catch (Exception e) {
      LOG.warning("could not look up the latest " + PlanConverter.COLLECTIONS_ADAPTOR + " (" + e.getMessage()
          + "): jobs get " + PlanConverter.COLLECTIONS_ADAPTOR + "@latest; set --collections-version to pin it");
      return "latest";
    }
  }
}
