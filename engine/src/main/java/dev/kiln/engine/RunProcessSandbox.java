package dev.kiln.engine;

import dev.kiln.runtime.FolderTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The locked-down profile of run processes: each gets a fresh, empty, private (0700) folder as its
 * working directory and {@code TMPDIR}, removed when the process ends; its embedded Node may read
 * only that folder and the adaptor repo and write only that folder, and may not start processes,
 * worker threads or native addons (the run process' {@code --work-dir}/{@code --read-dir}). When
 * the worker runs as root, {@code runAs} names an unprivileged user the process runs as
 * ({@code setpriv} from util-linux: that user's uid and primary gid, no supplementary groups, no
 * new privileges); the folder is then owned by that user.
 */
public final class RunProcessSandbox {
  private static final Logger LOG = Logger.getLogger(RunProcessSandbox.class.getName());
  /** Run folders whose process has not ended yet: deleted at JVM exit if it comes first. */
  private static final Set<Path> LIVE_FOLDERS = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("kiln-run-folders").unstarted(
        () -> LIVE_FOLDERS.forEach(RunProcessSandbox::deleteRunFolder)));
  }

  private static final AtomicBoolean SWEPT = new AtomicBoolean();

  private final Path repoDir;
  private final List<Path> moreReadDirs;
  private final Path runFoldersDir;
  private final RunAsUser runAs;
  private final CompileCacheFolder compileCache;

  private RunProcessSandbox(Path repoDir, List<Path> moreReadDirs, Path runFoldersDir, RunAsUser runAs, Path compileCacheDir) {
    this.repoDir = repoDir.toAbsolutePath().normalize();
    this.moreReadDirs = moreReadDirs.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    this.runFoldersDir = runFoldersDir.toAbsolutePath().normalize();
    this.runAs = runAs;
    List<Path> nodeReadable = new ArrayList<>(this.moreReadDirs);
    nodeReadable.add(this.repoDir);
    this.compileCache = new CompileCacheFolder(compileCacheDir, nodeReadable, runAs);
  }

  /**
   * The profile for run processes that load adaptors from {@code repoDir}; their folders are
   * created in {@code java.io.tmpdir}.
   *
   * @param runAs a user name to run the processes as, or null to keep the worker's user
   * @throws IllegalArgumentException when {@code runAs} is given and the worker is not root, or
   *     the user is unknown
   */
  public static RunProcessSandbox lockedDown(Path repoDir, String runAs) {
    return lockedDown(repoDir, List.of(), runAs);
  }

  /**
   * As {@link #lockedDown(Path, String)}, with more folders the run processes may read: the
   * adaptors monorepo of {@code @local} adaptors ({@code --monorepo-dir}).
   */
  public static RunProcessSandbox lockedDown(Path repoDir, List<Path> moreReadDirs, String runAs) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    RunAsUser user = runAs == null ? null : RunAsUser.lookUp(runAs, Path.of("/etc/passwd"));
    sweepLeftoversOnce(tmp);
    return new RunProcessSandbox(repoDir, moreReadDirs, tmp, user, CompileCacheFolder.defaultDir(tmp, user));
  }

  /**
   * This profile with the run processes' compile cache in {@code dir} (null: no cache). The
   * default is {@code -Dkiln.compile.cache} of this JVM ({@code off}: none), else {@code
   * ~/.cache/kiln/compile-cache} ({@code $XDG_CACHE_HOME}), or with {@code runAs} {@code
   * <tmp>/kiln-compile-cache-<uid>}; see {@link CompileCacheFolder} for how it is prepared.
   */
  public RunProcessSandbox withCompileCache(Path dir) {
    return new RunProcessSandbox(repoDir, moreReadDirs, runFoldersDir, runAs, dir);
  }

  /** The compile cache folder run processes are given, or null. */
  Path compileCacheDir() {
    return compileCache.dir();
  }

  Path repoDir() {
    return repoDir;
  }

  /** {@code setpriv ... --} to put before the java command, or an empty list. */
  List<String> commandPrefix() {
    if (runAs == null) {
      return List.of();
    }
    return List.of("setpriv", "--reuid=" + runAs.uid(), "--regid=" + runAs.gid(), "--clear-groups",
        "--no-new-privs", "--");
  }

  /**
   * JVM options of the run process: the compile cache folder when it is usable ({@link
   * CompileCacheFolder}); with {@code runAs}, Javet's native library is cached in a folder of that
   * user (created here, 0700, in the worker's temp folder), as the worker's own cache is usually in
   * a home folder the user cannot read.
   */
  List<String> jvmOptions() throws IOException {
    List<String> options = new ArrayList<>(compileCache.jvmOptions());
    if (runAs == null) {
      return options;
    }
    Path cache = runFoldersDir.resolve("kiln-javet-" + runAs.uid());
    if (!Files.isDirectory(cache)) {
      Files.createDirectories(cache, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      chown(cache);
    }
    options.add("-Dkiln.javet.cache=" + cache);
    return options;
  }

  /** The run process' arguments that lock its Node down to {@code runFolder} and the repo. */
  List<String> processArguments(Path runFolder) {
    List<String> args = new ArrayList<>();
    args.add("--work-dir");
    args.add(runFolder.toString());
    args.add("--read-dir");
    args.add(repoDir.toString());
    for (Path dir : moreReadDirs) {
      args.add("--read-dir");
      args.add(dir.toString());
    }
    return args;
  }

  /** Deletes, in the background, the run folders in {@code dir} of workers that were killed (once per JVM). */
  private static void sweepLeftoversOnce(Path dir) {
    if (SWEPT.compareAndSet(false, true)) {
      Thread.ofPlatform().daemon().name("kiln-leftover-run-folders").start(() -> LeftoverRunFolders.sweep(dir));
    }
  }

  /** A fresh empty folder only the run process' user can enter. */
  Path createRunFolder() throws IOException {
    Files.createDirectories(runFoldersDir);
    Path folder = Files.createTempDirectory(runFoldersDir, LeftoverRunFolders.prefix(),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    LIVE_FOLDERS.add(folder);
    if (runAs != null) {
      chown(folder);
    }
    return folder;
  }

  private void chown(Path path) throws IOException {
    UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    view.setOwner(users.lookupPrincipalByName(runAs.name()));
    view.setGroup(users.lookupPrincipalByGroupName(Integer.toString(runAs.gid())));
  }

  /** Deletes a run folder and everything the run left in it. */
  static void deleteRunFolder(Path folder) {
    LIVE_FOLDERS.remove(folder);
    try {
      FolderTree.delete(folder);
    } catch (IOException | UncheckedIOException e) {
      LOG.log(Level.WARNING, "could not delete the run folder " + folder, e);
    }
  }

  /** A user from the passwd database: its uid and primary gid. */
  record RunAsUser(String name, int uid, int gid) {
    static RunAsUser lookUp(String name, Path passwd) {
      if (!"root".equals(System.getProperty("user.name"))) {
        throw new IllegalArgumentException(
            "--run-as " + name + " needs the worker to run as root (it runs as " + System.getProperty("user.name")
                + "); start the worker as root or drop --run-as");
      }
      try {
        for (String line : Files.readAllLines(passwd)) {
          String[] fields = line.split(":", -1);
          if (fields.length >= 4 && fields[0].equals(name)) {
            RunAsUser user = new RunAsUser(name, Integer.parseInt(fields[2]), Integer.parseInt(fields[3]));
            if (user.uid() == 0) {
              throw new IllegalArgumentException("--run-as " + name + " is root: name an unprivileged user");
            }
            return user;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + passwd + " to look up --run-as " + name, e);
      }
      throw new IllegalArgumentException("--run-as " + name + ": no such user in " + passwd
          + " (create one, e.g. useradd --system --no-create-home kiln-run)");
    }
  }
}
