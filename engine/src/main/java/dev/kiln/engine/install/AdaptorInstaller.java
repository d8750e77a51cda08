package dev.kiln.engine.install;

import dev.kiln.runtime.FolderTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Installs npm packages (adaptors) into a repo laid out as the reference's: {@code
 * <repo>/package.json} lists {@code "<name>_<version>": "npm:<name>@<version>"} and the package
 * lives in {@code <repo>/node_modules/<name>_<version>} (scoped: {@code
 * node_modules/@scope/<name>_<version>}), its dependencies where Node's resolution finds them
 * (see {@link InstallPlanner}). A repo written by either Kiln or the reference works with both.
 *
 * <p>No node or npm is needed and no package script ever runs. Tarballs are verified against the
 * registry's integrity and kept in a disk cache. Installs into one repo are serialized across
 * threads and processes; checks ({@link #isInstalled}) are lock-free. Version {@code local} maps
 * to {@code <monorepo>/packages/<name without @openfn/language->} when a monorepo folder is set.
 */
public final class AdaptorInstaller {
  private static final System.Logger LOG = System.getLogger(AdaptorInstaller.class.getName());

  private final Path repo;
  private final RegistryClient registry;
  private final Path monorepo;
  private final RepoManifest manifest;

  public AdaptorInstaller(Path repoDir, RegistryConfig config) {
    this(repoDir, config, defaultTarballCache(), null);
  }

  /**
   * @param tarballCache folder for verified tarballs, shared safely between installers and processes
   * @param monorepoDir the adaptors monorepo for {@code @local} versions ({@code OPENFN_ADAPTORS_REPO}), or null
   */
  public AdaptorInstaller(Path repoDir, RegistryConfig config, Path tarballCache, Path monorepoDir) {
    this(repoDir, new RegistryClient(config, tarballCache, RegistryClient.PACKUMENT_DEADLINE,
        RegistryClient.TARBALL_DEADLINE), monorepoDir);
  }

  AdaptorInstaller(Path repoDir, RegistryClient registry, Path monorepoDir) {
    this.repo = repoDir.toAbsolutePath().normalize();
    this.registry = registry;
    this.monorepo = monorepoDir == null ? null : monorepoDir.toAbsolutePath().normalize();
    this.manifest = new RepoManifest(repo);
  }

  /** {@code $XDG_CACHE_HOME/kiln/npm}, else {@code ~/.cache/kiln/npm}. */
  public static Path defaultTarballCache() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank()
        ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("kiln").resolve("npm");
  }

  public Path repoDir() {
    return repo;
  }

  /**
   * Installs {@code specifier} ({@code name}, {@code name@version}, {@code name@<dist-tag>},
   * {@code name@<range>}, {@code name@local}) unless that version is installed already, and
   * returns where it is. An exact version that is installed needs no network.
   */
  public InstalledPackage install(String specifier) throws AdaptorInstallException {
    return installAll(List.of(specifier)).get(0);
  }

  /** Installs several specifiers in one go, fetching each package's metadata once. */
  public List<InstalledPackage> installAll(List<String> specifiers) throws AdaptorInstallException {
    List<InstalledPackage> out = new ArrayList<>();
    try (MetadataCache metadata = new MetadataCache(registry)) {
      for (String specifier : specifiers) {
        try {
          out.add(installOne(PackageSpecifier.parse(specifier), metadata));
        } catch (RuntimeException bug) {
          throw new AdaptorInstallException(
              "Unexpected failure while installing " + specifier + " into " + repo + ": " + bug, bug);
        }
      }
    }
    return out;
  }

  /** The exact version {@code specifier} means now ({@code @latest}, {@code @next}, a range, …). */
  public ResolvedPackage resolve(String specifier) throws AdaptorInstallException {
    PackageSpecifier spec = PackageSpecifier.parse(specifier);
    if (spec.isLocal()) {
      return new ResolvedPackage(spec.name(), PackageSpecifier.LOCAL);
    }
    try (MetadataCache metadata = new MetadataCache(registry)) {
      PackageManifest m = VersionPicker.pick(metadata.packument(spec.name()), spec.wanted());
      return new ResolvedPackage(m.name(), m.version());
    }
  }

  /**
   * Whether {@code name@version} is in the repo: its alias is in the repo's package.json (the
   * reference's test) and its folder has a package.json (Kiln's extra check). {@code local}
   * versions are "installed" when the monorepo has the package.
   */
  public boolean isInstalled(String name, String version) {
    if (PackageSpecifier.LOCAL.equals(version)) {
      return monorepo != null && Files.isRegularFile(localPath(name).resolve("package.json"));
    }
    try {
      return manifest.aliases().contains(PackageSpecifier.alias(name, version))
          && Files.isRegularFile(packageRoot(name, version).resolve("package.json"));
    } catch (IOException unreadable) {
      return false;
    }
  }

  /**
   * The highest installed version of {@code name}, compared as semver (the reference compares
   * strings, so it prefers 9.0.0 over 10.0.0), used when a step names an adaptor without a version.
   */
  public Optional<String> latestInstalledVersion(String name) {
    List<String> aliases;
    try {
      aliases = manifest.aliases();
    } catch (IOException unreadable) {
      return Optional.empty();
    }
    String prefix = name + "_";
    Map<SemverVersion, String> versions = new HashMap<>();
    for (String alias : aliases) {
      if (alias.startsWith(prefix)) {
        String version = alias.substring(prefix.length());
        SemverVersion.parse(version)
            .filter(v -> Files.isRegularFile(packageRoot(name, version).resolve("package.json")))
            .ifPresent(v -> versions.put(v, version));
      }
    }
    return versions.keySet().stream().max(SemverVersion::compareTo).map(versions::get);
  }

  /** Where {@code name@version} lives in the repo (whether or not it is installed). */
  public Path packageRoot(String name, String version) {
    return repo.resolve("node_modules").resolve(PackageSpecifier.alias(name, version));
  }

  private InstalledPackage installOne(PackageSpecifier spec, MetadataCache metadata)
      throws AdaptorInstallException {
    if (spec.isLocal()) {
      return local(spec.name());
    }
    Optional<String> exact = SemverVersion.parse(spec.wanted()).map(SemverVersion::toString);
    if (exact.isPresent() && isInstalled(spec.name(), exact.get())) {
      return installed(spec.name(), exact.get());
    }
    PackageManifest root = VersionPicker.pick(metadata.packument(spec.name()), spec.wanted());
    if (isInstalled(root.name(), root.version())) {
      return installed(root.name(), root.version());
    }
    long started = System.nanoTime();
    try {
      manifest.ensureExists();
      try (RepoLock lock = RepoLock.acquire(repo)) {
        if (isInstalled(root.name(), root.version())) {
          return installed(root.name(), root.version()); // another thread or process won the race
        }
        String phases = writeTree(root, metadata);
        manifest.addAlias(root.name(), root.version());
        Files.deleteIfExists(repo.resolve("node_modules").resolve(".package-lock.json"));
        LOG.log(System.Logger.Level.INFO, "Installed {0} into {1} in {2} ms ({3})",
            root.id(), repo, (System.nanoTime() - started) / 1_000_000, phases);
      }
    } catch (IOException e) {
      throw new AdaptorInstallException(
          "Could not install " + root.id() + " into the repo " + repo + ": " + e.getMessage()
              + ". Check that the folder is writable and the disk has space.", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdaptorInstallException("Interrupted while installing " + root.id(), e);
    }
    return installed(root.name(), root.version());
  }

  /** Plans, downloads and writes the tree of {@code root}; returns what it did, for the log. */
  private String writeTree(PackageManifest root, MetadataCache metadata)
      throws AdaptorInstallException, IOException, InterruptedException {
    PackageTreeWriter writer = new PackageTreeWriter(repo);
    writer.removeLeftovers();
    Path rootFolder = packageRoot(root.name(), root.version());
    FolderTree.delete(rootFolder); // a folder without an alias entry is an unfinished install
    long t0 = System.nanoTime();
    List<InstallPlanner.Placement> placements = new InstallPlanner(repo, metadata).plan(rootFolder, root);
    long t1 = System.nanoTime();
    Map<Path, Path> tarballs = new HashMap<>();
    for (InstallPlanner.Placement p : placements) {
      tarballs.put(p.folder(), metadata.tarball(p.manifest()));
    }
    long t2 = System.nanoTime();
    writer.write(placements, tarballs);
    long t3 = System.nanoTime();
    return placements.size() + " new packages; metadata " + (t1 - t0) / 1_000_000 + " ms, remaining tarballs "
        + (t2 - t1) / 1_000_000 + " ms, unpacking " + (t3 - t2) / 1_000_000 + " ms";
  }

  private InstalledPackage installed(String name, String version) {
    return new InstalledPackage(name, version, packageRoot(name, version));
  }

  private InstalledPackage local(String name) throws AdaptorInstallException {
    if (monorepo == null) {
      throw new AdaptorInstallException(
          "Adaptor " + name + "@local needs the adaptors monorepo: set OPENFN_ADAPTORS_REPO (or"
              + " --monorepo-dir) to a checkout of github.com/OpenFn/adaptors.");
    }
    Path path = localPath(name);
    if (!Files.isRegularFile(path.resolve("package.json"))) {
      throw new AdaptorInstallException(
          "Adaptor " + name + "@local was not found in the monorepo: " + path + " has no package.json."
              + " Check the monorepo folder (" + monorepo + ") and build the adaptor there.");
    }
    return new InstalledPackage(name, PackageSpecifier.LOCAL, path);
  }

  /** The reference's mapping: {@code <monorepo>/packages/<name without "@openfn/language-">}. */
  private Path localPath(String name) {
    return monorepo.resolve("packages").resolve(name.replace("@openfn/language-", ""));
  }
}
