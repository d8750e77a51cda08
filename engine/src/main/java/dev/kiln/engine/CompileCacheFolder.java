package dev.kiln.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The folder where run processes keep compiled steps between runs (the runtime's compile cache,
 * {@code -Dkiln.compile.cache=<folder>}). Prepared like a run folder: created private (0700) and
 * owned by the user the run processes run as; it must not be inside a folder their Node may read
 * (the adaptor repo), because it holds every workflow's compiled code. A folder that cannot be
 * made so (another owner, group- or world-writable, a symbolic link, a read-only disk) turns the
 * cache off with one warning: a run never fails because of the cache.
 */
final class CompileCacheFolder {
  private static final Logger LOG = Logger.getLogger(CompileCacheFolder.class.getName());
  /** System property of the worker JVM: the folder, or {@code off}. */
  static final String PROPERTY = "kiln.compile.cache";
  /** System property of the worker JVM passed on to run processes: the folder's size limit in MB. */
  static final String MAX_MB_PROPERTY = "kiln.compile.cache.maxMb";

  private final Path dir;
  private final List<Path> nodeReadable;
  private final RunProcessSandbox.RunAsUser runAs;
  private final AtomicReference<String> lastWarning = new AtomicReference<>();

  /**
   * @param dir the folder, or null for no cache
   * @param nodeReadable the folders run processes' Node may read (the cache must not be in one)
   * @param runAs the user run processes run as, or null for this JVM's user
   */
  CompileCacheFolder(Path dir, List<Path> nodeReadable, RunProcessSandbox.RunAsUser runAs) {
    this.dir = dir == null ? null : dir.toAbsolutePath().normalize();
    this.nodeReadable = nodeReadable;
    this.runAs = runAs;
  }

  /**
   * The default folder: {@code -Dkiln.compile.cache} of this JVM ({@code off}: none); else, with
   * {@code runAs}, {@code <tmp>/kiln-compile-cache-<uid>}; else {@code $XDG_CACHE_HOME/kiln/compile-cache}
   * ({@code ~/.cache/kiln/compile-cache}).
   */
  static Path defaultDir(Path tmp, RunProcessSandbox.RunAsUser runAs) {
    String configured = System.getProperty(PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return "off".equals(configured) ? null : Path.of(configured);
    }
    if (runAs != null) {
      return tmp.resolve("kiln-compile-cache-" + runAs.uid());
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("kiln").resolve("compile-cache");
  }

  Path dir() {
    return dir;
  }

  /** The run process' JVM options for the cache: none when it is off or the folder is not usable. */
  List<String> jvmOptions() {
    if (dir == null) {
      return List.of();
    }
    String problem = prepare();
    if (problem != null) {
      if (!problem.equals(lastWarning.getAndSet(problem))) {
        LOG.warning("compile cache off: " + problem);
      }
      return List.of();
    }
    String maxMb = System.getProperty(MAX_MB_PROPERTY);
    return maxMb == null
        ? List.of("-D" + PROPERTY + "=" + dir)
        : List.of("-D" + PROPERTY + "=" + dir, "-D" + MAX_MB_PROPERTY + "=" + maxMb);
  }

  /** Creates the folder if needed; returns why it cannot be used, or null. */
  private String prepare() {
    for (Path readable : nodeReadable) {
      if (dir.startsWith(readable.toAbsolutePath().normalize())) {
        return dir + " is inside " + readable + ", which job code may read; choose a folder outside it";
      }
    }
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dir.getParent());
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (runAs != null) {
          PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
          UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
          view.setOwner(users.lookupPrincipalByName(runAs.name()));
          view.setGroup(users.lookupPrincipalByGroupName(Integer.toString(runAs.gid())));
        }
      }
      PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (!attributes.isDirectory()) {
        return dir + " is not a folder" + (attributes.isSymbolicLink() ? " (a symbolic link)" : "");
      }
      UserPrincipal expected = dir.getFileSystem().getUserPrincipalLookupService()
          .lookupPrincipalByName(runAs != null ? runAs.name() : System.getProperty("user.name"));
      if (!attributes.owner().equals(expected)) {
        return dir + " belongs to " + attributes.owner().getName() + ", not to " + expected.getName()
            + " who runs the run processes; delete it or chown it to " + expected.getName();
      }
      Set<PosixFilePermission> permissions = attributes.permissions();
      if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
        return dir + " is writable by other users (" + PosixFilePermissions.toString(permissions)
            + "); make it private (chmod 700)";
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return "cannot prepare " + dir + ": " + e;
    }
  }
}
