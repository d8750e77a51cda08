package dev.kiln.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The adaptor folders a warm run process imports before its run: those of the last run's pinned
 * adaptors ({@code <repo>/node_modules/<name>_<version>}), the likeliest to be needed next. A
 * process serves one run, so preloading never shares module instances between runs; a guess that
 * turns out wrong costs the spare's idle time only.
 */
final class AdaptorPreloads {
  private AdaptorPreloads() {}

  /** Installed adaptor folders of a plan whose adaptors were pinned by {@link PlanAutoinstaller}. */
  static List<Path> of(JsonNode plan, Path repoDir) {
    Set<Path> folders = new LinkedHashSet<>();
    for (JsonNode step : Plans.steps(plan)) {
      JsonNode adaptors = step.has("adaptors") ? step.get("adaptors") : step.path("adaptor");
      for (JsonNode adaptor : adaptors.isArray() ? adaptors : List.of(adaptors)) {
        String spec = adaptor.asText("");
        int at = spec.lastIndexOf('@');
        if (at > 0 && !spec.contains("=")) {
          Path folder = repoDir.resolve("node_modules").resolve(spec.substring(0, at) + "_" + spec.substring(at + 1));
          if (Files.isRegularFile(folder.resolve("package.json"))) {
            folders.add(folder.toAbsolutePath());
          }
        }
      }
    }
    return List.copyOf(folders);
  }
}
