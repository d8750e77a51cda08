package dev.kiln.engine.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Installs a package made in a test (files, scripts) into a repo the way a worker installs
 * adaptors: published as a tarball on a local test registry, then fetched and unpacked by
 * {@link AdaptorInstaller}.
 */
public final class PackageFromTarball {
  private PackageFromTarball() {}

  /** Installs {@code name@version} with {@code files} and {@code scripts} into {@code repo}. */
  public static void install(Path repo, String name, String version, Map<String, String> files,
      Map<String, String> scripts) throws IOException, AdaptorInstallException {
    try (TestRegistry registry = TestRegistry.start()) {
      TestRegistry.Publication publication = registry.publish(name, version);
      files.forEach(publication::file);
      scripts.forEach(publication::script);
      publication.done();
      Path cache = Files.createTempDirectory("kiln-test-tarballs");
      new AdaptorInstaller(repo, registry.config(), cache, null).install(name + "@" + version);
    }
  }
}
