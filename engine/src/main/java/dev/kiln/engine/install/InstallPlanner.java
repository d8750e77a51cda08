package dev.kiln.engine.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides where every package of a dependency tree goes, the way npm lays out {@code
 * node_modules} so that Node's module resolution (walking up {@code node_modules} folders) finds
 * the right versions:
 *
 * <ul>
 *   <li>a dependency already visible from the dependent (nested under it, or hoisted further up)
 *       with a version that satisfies the range is reused;
 *   <li>otherwise, if no package of that name is visible at all, the new one is hoisted into
 *       {@code <repo>/node_modules/<name>};
 *   <li>otherwise (a conflicting version is visible) it is nested in the dependent's own {@code
 *       node_modules}.
 * </ul>
 *
 * Packages already on disk that the tree reuses are checked too, and their missing dependencies
 * planned, so a repo left incomplete (or changed by hand) is repaired. Peer dependencies are
 * installed like regular ones (as npm 7+ does) unless {@code peerDependenciesMeta} marks them
 * optional; an optional dependency that cannot be installed (unknown, no matching version, other
 * platform, unsupported spec) is skipped with a warning; {@code devDependencies} are never read.
 */
final class InstallPlanner {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final System.Logger LOG = System.getLogger(InstallPlanner.class.getName());
  static final String PLATFORM = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
      ? "linux" : System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac") ? "darwin" : "win32";
  static final String ARCH = switch (System.getProperty("os.arch", "")) {
    case "amd64", "x86_64" -> "x64";
    case "aarch64" -> "arm64";
    default -> System.getProperty("os.arch", "");
  };

  private final Path repo;
  private final MetadataCache metadata;
  private final Map<Path, PackageManifest> planned = new LinkedHashMap<>();
  private final Map<Path, Optional<PackageManifest>> onDisk = new HashMap<>();

  /** A package to write: its tarball goes into {@code folder}. */
  record Placement(Path folder, PackageManifest manifest) {}

  InstallPlanner(Path repo, MetadataCache metadata) {
    this.repo = repo.toAbsolutePath().normalize();
    this.metadata = metadata;
  }

  /** Every new package needed to put {@code root} at {@code rootFolder}, in planning order (root first). */
  List<Placement> plan(Path rootFolder, PackageManifest root) throws AdaptorInstallException {
    Deque<Node> queue = new ArrayDeque<>();
    Set<Path> visited = new HashSet<>();
    planned.put(rootFolder, root);
    metadata.prefetchTarball(root);
    visited.add(rootFolder);
    queue.add(new Node(rootFolder, root));
    while (!queue.isEmpty()) {
      Node node = queue.poll();
      Map<String, PackageManifest.Dependency> deps = node.manifest.installableDependencies();
      List<Wanted> unresolved = new ArrayList<>();
      for (PackageManifest.Dependency dep : deps.values()) {
        Wanted wanted;
        Path found;
        try {
          wanted = Wanted.of(dep); // checks the name before it is used as a path
          found = lookup(node.folder, dep.name());
          Optional<PackageManifest> existing = found == null ? Optional.empty() : manifestAt(found);
          if (existing.isPresent() && satisfies(existing.get(), wanted)) {
            if (visited.add(found)) {
              queue.add(new Node(found, existing.get()));
            }
            continue;
          }
        } catch (AdaptorInstallException e) {
          skipOrFail(dep, node, e);
          continue;
        }
        metadata.prefetch(wanted.packageName);
        unresolved.add(wanted.at(found));
      }
      for (Wanted wanted : unresolved) {
        PackageManifest manifest;
        try {
          manifest = VersionPicker.pick(metadata.packument(wanted.packageName), wanted.range);
          if (!manifest.supportsPlatform(PLATFORM, ARCH)) {
            throw new AdaptorInstallException(manifest.id() + " does not support this platform ("
                + PLATFORM + "/" + ARCH + "; it wants os " + manifest.os() + ", cpu " + manifest.cpu() + ")");
          }
        } catch (AdaptorInstallException e) {
          skipOrFail(wanted.dependency, node, e);
          continue;
        }
        Path target = wanted.found == null
            ? repo.resolve("node_modules").resolve(wanted.dependency.name())
            : node.folder.resolve("node_modules").resolve(wanted.dependency.name());
        if (planned.containsKey(target)) {
          continue; // the same dependency listed twice (e.g. regular and peer)
        }
        planned.put(target, manifest);
        metadata.prefetchTarball(manifest);
        prefetchMissingDependencies(target, manifest);
        visited.add(target);
        queue.add(new Node(target, manifest));
      }
    }
    List<Placement> out = new ArrayList<>();
    planned.forEach((folder, manifest) -> out.add(new Placement(folder, manifest)));
    return out;
  }

  /**
   * Starts fetching the metadata of a just-placed package's dependencies that nothing visible
   * satisfies yet, so that the tree's levels download concurrently instead of one after another.
   * Only a hint: the package's turn in {@link #plan} decides for real.
   */
  private void prefetchMissingDependencies(Path folder, PackageManifest manifest) {
    for (PackageManifest.Dependency dep : manifest.installableDependencies().values()) {
      Wanted wanted;
      try {
        wanted = Wanted.of(dep);
      } catch (AdaptorInstallException unsupported) {
        continue;
      }
      Path found = lookup(folder, dep.name());
      Optional<PackageManifest> existing = found == null ? Optional.empty() : manifestAt(found);
      if (existing.isEmpty() || !satisfiesRange(existing.get(), wanted).orElse(false)) {
        metadata.prefetch(wanted.packageName);
      }
    }
  }

  private void skipOrFail(PackageManifest.Dependency dep, Node node, AdaptorInstallException e)
      throws AdaptorInstallException {
    if (dep.optional()) {
      String warning = "Skipped optional dependency " + dep.name() + "@" + dep.spec() + " of "
          + node.manifest.id() + ": " + e.getMessage();
      LOG.log(System.Logger.Level.WARNING, warning);
      return;
    }
    throw new AdaptorInstallException(e.getMessage() + " (needed by " + node.manifest.id() + ")", e);
  }

  /**
   * The folder Node would load {@code name} from when required in {@code folder}: the first
   * {@code <dir>/node_modules/<name>} walking up from {@code folder} to the repo, among packages
   * on disk and packages planned so far; null when there is none.
   */
  private Path lookup(Path folder, String name) {
    for (Path dir = folder; dir != null && dir.startsWith(repo); dir = dir.getParent()) {
      if (dir.getFileName() != null && dir.getFileName().toString().equals("node_modules")) {
        continue;
      }
      Path candidate = dir.resolve("node_modules").resolve(name);
      if (planned.containsKey(candidate) || Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  private Optional<PackageManifest> manifestAt(Path folder) {
    PackageManifest p = planned.get(folder);
    if (p != null) {
      return Optional.of(p);
    }
    return onDisk.computeIfAbsent(folder, InstallPlanner::readInstalled);
  }

  private static Optional<PackageManifest> readInstalled(Path folder) {
    try {
      JsonNode json = JSON.readTree(folder.resolve("package.json").toFile());
      String name = json.path("name").asText("");
      String version = json.path("version").asText("");
      if (name.isEmpty() || version.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(PackageManifest.from(name, version, json));
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty(); // a broken folder counts as a conflicting one
    }
  }

  private boolean satisfies(PackageManifest existing, Wanted wanted) throws AdaptorInstallException {
    Optional<Boolean> byRange = satisfiesRange(existing, wanted);
    if (byRange.isPresent()) {
      return byRange.get();
    }
    // a dist-tag: the installed version must be the one the tag names now
    String tagged = metadata.packument(wanted.packageName).distTags().get(wanted.range);
    return existing.version().equals(tagged);
  }

  /** Whether {@code existing} is the wanted package in the wanted range; empty for a dist-tag. */
  private static Optional<Boolean> satisfiesRange(PackageManifest existing, Wanted wanted) {
    if (!existing.name().equals(wanted.packageName)) {
      return Optional.of(false);
    }
    return SemverRange.parse(wanted.range)
        .map(range -> SemverVersion.parse(existing.version()).map(range::isSatisfiedBy).orElse(false));
  }

  private record Node(Path folder, PackageManifest manifest) {}

  /** What a dependency spec asks for: a registry package (maybe under an alias) and a range or tag. */
  private record Wanted(PackageManifest.Dependency dependency, String packageName, String range, Path found) {
    static Wanted of(PackageManifest.Dependency dep) throws AdaptorInstallException {
      PackageSpecifier.checkName(dep.name(), dep.name() + "@" + dep.spec());
      String spec = dep.spec().strip();
      if (spec.startsWith("npm:")) {
        PackageSpecifier target = PackageSpecifier.parse(spec.substring(4));
        return new Wanted(dep, target.name(), target.wanted(), null);
      }
      if (spec.isEmpty() || SemverRange.parse(spec).isPresent() || spec.matches("[A-Za-z][A-Za-z0-9._-]*")) {
        return new Wanted(dep, dep.name(), spec.isEmpty() ? "*" : spec, null);
      }
      throw new AdaptorInstallException(
          "Dependency " + dep.name() + "@" + spec + " is not a registry version range (git, file, URL and"
              + " workspace dependencies are not supported by Kiln's installer)");
    }

    Wanted at(Path found) {
      return new Wanted(dependency, packageName, range, found);
    }
  }
}
