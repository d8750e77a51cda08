package dev.kiln.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Installs the adaptors a plan's steps name (spec §1.10), before its run process starts, and
 * pins each step's adaptor to the exact version installed ({@code @openfn/language-common} or
 * {@code ...@latest} becomes {@code ...@3.3.4}), so the run process loads what was installed.
 * Only {@code @openfn/} packages are installed; others are skipped with a warning, as in the
 * reference. Installs are serial across all runs of a supervisor.
 */
public final class PlanAutoinstaller {
  /** Installs one specifier ({@code name[@version-or-range]}) and returns the exact version. */
  @FunctionalInterface
  public interface Install {
    String install(String specifier) throws Exception;
  }

  /** Told of every adaptor version a run will load, once installed (e.g. to index it). */
  @FunctionalInterface
  public interface Installed {
    void installed(String name, String version);
  }

  private final Install install;
  private final Installed installed;

  public PlanAutoinstaller(Install install) {
    this(install, (name, version) -> {});
  }

  /**
   * With {@code installed} told of each adaptor version after its install; e.g.
   * {@code (name, version) -> indexer.ensure(name, version)} with an {@link AdaptorIndexer}, so
   * that the next runs load it through its resolution index.
   */
  public PlanAutoinstaller(Install install, Installed installed) {
    this.install = install;
    this.installed = installed;
  }

  /** Installs and pins the plan's adaptors; returns the failure that ends the run, or null. */
  RunFailure install(ObjectNode plan, RunEmitter emitter) {
    Map<String, String> pinned = new LinkedHashMap<>();
    for (JsonNode step : Plans.steps(plan)) {
      if (!(step instanceof ObjectNode s)) {
        continue;
      }
      JsonNode adaptors = s.has("adaptors") ? s.get("adaptors") : s.get("adaptor");
      if (adaptors == null) {
        continue;
      }
      if (adaptors.isTextual()) {
        String spec = adaptors.asText();
        RunFailure failure = pin(spec, pinned, emitter);
        if (failure != null) {
          return failure;
        }
        s.put(s.has("adaptors") ? "adaptors" : "adaptor", pinned.getOrDefault(spec, spec));
      } else if (adaptors instanceof ArrayNode list) {
        for (int i = 0; i < list.size(); i++) {
          String spec = list.get(i).asText();
          RunFailure failure = pin(spec, pinned, emitter);
          if (failure != null) {
            return failure;
          }
          list.set(i, TextNode.valueOf(pinned.getOrDefault(spec, spec)));
        }
      }
    }
    return null;
  }

  private RunFailure pin(String spec, Map<String, String> pinned, RunEmitter emitter) {
    if (pinned.containsKey(spec) || spec.contains("=")) {
      return null; // done already, or a local path ("name=path")
    }
    int at = spec.lastIndexOf('@');
    String name = at > 0 ? spec.substring(0, at) : spec;
    String wanted = at > 0 ? spec.substring(at + 1) : "latest";
    if ("local".equals(wanted)) {
      return null;
    }
    if (!name.startsWith("@openfn/")) {
      emitter.log("warn", "WARNING: autoinstall skipping blacklisted module " + name);
      return null;
    }
    long start = System.nanoTime();
    ObjectNode meta = RunEmitter.meta();
    meta.put("module", name);
    meta.put("version", wanted);
    try {
      String version;
      synchronized (this) {
        version = install.install(name + "@" + wanted);
      }
      meta.put("version", version);
      meta.put("duration", (System.nanoTime() - start) / 1_000_000);
      pinned.put(spec, name + "@" + version);
      emitter.emit(RunEvent.AUTOINSTALL_COMPLETE, meta, null);
      tellInstalled(name, version);
      return null;
    } catch (Exception e) {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      meta.put("duration", (System.nanoTime() - start) / 1_000_000);
      meta.put("message", message);
      emitter.emit(RunEvent.AUTOINSTALL_ERROR, meta, null);
      return RunFailure.autoinstall(spec, message);
    }
  }

  /** A failure of what follows an install (e.g. indexing) is not the run's: it is logged. */
  private void tellInstalled(String name, String version) {
    try {
      installed.installed(name, version);
    } catch (RuntimeException e) {
      System.getLogger(PlanAutoinstaller.class.getName()).log(System.Logger.Level.WARNING,
          "After installing " + name + "@" + version + ": " + e, e);
    }
  }
}
