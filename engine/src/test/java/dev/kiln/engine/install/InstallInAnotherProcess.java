package dev.kiln.engine.install;

import java.net.URI;
import java.nio.file.Path;

/** Entry point of a second JVM in {@link ConcurrentInstallTest}: installs one specifier. */
final class InstallInAnotherProcess {
  private InstallInAnotherProcess() {}

  /** Arguments: repo, registry url, tarball cache, specifier. Prints the installed root. */
  public static void main(String[] args) throws Exception {
    AdaptorInstaller installer =
        new AdaptorInstaller(Path.of(args[0]), RegistryConfig.of(URI.create(args[1])), Path.of(args[2]), null);
    System.out.println(installer.install(args[3]).root());
  }
}
