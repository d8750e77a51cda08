package dev.kiln.engine;

import com.caoccao.javet.interop.loader.JavetLibLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.protocol.Frame;
import dev.kiln.runtime.protocol.FrameReader;
import dev.kiln.runtime.protocol.FrameType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Builds the resolution index of installed adaptors ({@code runtime}'s {@code host/resolution.js}:
 * which build to import and the CommonJS resolutions of its module graph) and stores it at
 * {@code <repo>/.kiln/adaptors/<name>_<version>/index.json}, where run processes find it.
 *
 * <p>Trust: job code must never influence an index, since a poisoned map would redirect the
 * requires of later runs. So an index is made outside any run, by a one-off indexing process
 * ({@code dev.kiln.runtime.AdaptorIndexMain}) that loads only the adaptor, is locked down like a
 * run process (Node may write only its own run folder, which is deleted) and hands the index
 * over on stdout; this class checks it (every path stays inside {@code <repo>/node_modules}, the
 * adaptor's {@code package.json} stamp is the one it saw itself before and after) and moves it into
 * place atomically.
 * Run processes can read the repo but not write it. The adaptor's own code does run while it is
 * indexed, with no more power than in any run that loads it.
 *
 * <p>Indexes are built one at a time on a background thread: a run never waits for one (without
 * it, the adaptor loads as before). One per version: an index whose stamp matches is kept.
 */
public final class AdaptorIndexer implements AutoCloseable {
  static final String MAIN_CLASS = "dev.kiln.runtime.AdaptorIndexMain";
  static final int FORMAT = 3;
  private static final System.Logger LOG = System.getLogger(AdaptorIndexer.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MEMORY_LIMIT_MB = 512;
  private static final long TIMEOUT_MS = 120_000;
  private static final int MAX_INDEX_BYTES = 64 << 20;

  /**
   * {@code -Dkiln.adaptors.lazy=false} (e.g. in {@code KILN_JAVA_OPTS}) stores indexes without lazy
   * requires: every dependency of an adaptor is evaluated when it is required, as in the reference.
   */
  static final String LAZY_PROPERTY = "kiln.adaptors.lazy";

  private final Path repoDir;
  private final RunProcessLauncher launcher;
  private final boolean lazyDependencies;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().daemon().name("kiln-adaptor-indexer").factory());
  /**
   * alias → the latest build (in progress or done), the stamp of the adaptor's package.json and
   * of the repo's (which every install, Kiln's or npm's, rewrites) it was made for.
   */
  private final Map<String, Build> builds = new ConcurrentHashMap<>();

  private record Build(String stamp, String installs, CompletableFuture<Path> future) {}

  AdaptorIndexer(Path repoDir, RunProcessLauncher launcher, boolean lazyDependencies) {
    this.repoDir = repoDir.toAbsolutePath().normalize();
    this.launcher = launcher;
    this.lazyDependencies = lazyDependencies;
  }

  /**
   * Indexes adaptors of {@code sandbox}'s repo in processes locked down by {@code sandbox}, with
   * lazy dependencies unless {@code -Dkiln.adaptors.lazy=false}.
   */
  public static AdaptorIndexer lockedDown(RunProcessSandbox sandbox) {
    return lockedDown(sandbox, !"false".equalsIgnoreCase(System.getProperty(LAZY_PROPERTY)));
  }

  static AdaptorIndexer lockedDown(RunProcessSandbox sandbox, boolean lazyDependencies) {
    return new AdaptorIndexer(sandbox.repoDir(), RunProcessLauncher.ofCurrentJvm(MAIN_CLASS).lockedDown(sandbox),
        lazyDependencies);
  }

  /** Where the index of {@code alias} ({@code name_version}) lives in {@code repoDir}. */
  static Path indexFile(Path repoDir, String alias) {
    return repoDir.resolve(".kiln").resolve("adaptors").resolve(alias).resolve("index.json");
  }

  /**
   * Makes sure the installed {@code name@version} has a current index, building it in the
   * background if not; the future completes with the index file, or exceptionally when the
   * adaptor cannot be indexed (it then loads without one).
   */
  public CompletableFuture<Path> ensure(String name, String version) {
    String alias = name + "_" + version;
    Path root = repoDir.resolve("node_modules").resolve(alias);
    String stamp;
    String installs;
    try {
      stamp = stamp(root);
      installs = stampOf(repoDir.resolve("package.json"));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(
          new IOException("cannot index " + alias + ": it is not installed in " + repoDir + " (" + e + ")", e));
    }
    return builds.compute(alias, (key, build) -> {
      if (build != null && build.stamp().equals(stamp) && build.installs().equals(installs)) {
        return build; // built, being built, or failed: once per installed version and state of the repo
      }
      return new Build(stamp, installs, CompletableFuture.supplyAsync(() -> build(alias, root, stamp), worker)
          .whenComplete((file, failure) -> {
            if (failure != null) {
              Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
              LOG.log(System.Logger.Level.WARNING, "Could not index the adaptor " + alias
                  + " (it loads without an index): " + cause.getMessage());
            }
          }));
    }).future();
  }

  private Path build(String alias, Path root, String stamp) {
    Path file = indexFile(repoDir, alias);
    try {
      if (isCurrent(file, alias, stamp)) {
        return file;
      }
      long start = System.nanoTime();
      ObjectNode index = record(root);
      check(index, alias);
      if (!lazyDependencies) {
        index.putObject("lazy");
        index.put("lazyDependencies", false);
      }
      if (!stamp.equals(index.path("packageStamp").asText()) || !stamp.equals(stamp(root))) {
        throw new IOException("the adaptor's package.json changed while it was indexed (reinstalled?): "
            + stamp + " before, " + index.path("packageStamp").asText() + " while indexing, " + stamp(root) + " after");
      }
      write(file, JSON.writeValueAsBytes(index));
      LOG.log(System.Logger.Level.INFO, "Indexed the adaptor " + alias + " in " + (System.nanoTime() - start) / 1_000_000
          + " ms (" + index.get("entry").asText() + " build, " + index.get("resolutions").size() + " resolutions, "
          + index.get("lazy").size() + " lazy requires)");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while indexing " + alias, e);
    }
  }

  /** Runs the indexing process and returns the index it reports. */
  private ObjectNode record(Path root) throws IOException, InterruptedException {
    LaunchedProcess launched = launcher.start(MEMORY_LIMIT_MB, List.of(root));
    Process process = launched.process();
    try {
      process.getOutputStream().close();
      byte[] stdout;
      CompletableFuture<byte[]> reading = new CompletableFuture<>();
      Thread.ofVirtual().name("kiln-adaptor-indexer-stdout").start(() -> {
        try {
          reading.complete(readBounded(process.getInputStream()));
        } catch (RuntimeException e) {
          reading.completeExceptionally(e);
        }
      });
      if (!process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        throw new IOException("the indexing process did not finish within " + TIMEOUT_MS + " ms");
      }
      try {
        stdout = reading.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException("cannot read the indexing process' output: " + e.getMessage(), e);
      }
      launched.stderr().awaitEnd(1_000);
      if (process.exitValue() != 0) {
        throw new IOException("the indexing process exited with code " + process.exitValue() + ": "
            + launched.stderr().text());
      }
      Frame frame = new FrameReader(new ByteArrayInputStream(stdout)).read();
      if (frame == null || !FrameType.ADAPTOR_INDEX.equals(frame.type())) {
        throw new IOException("the indexing process sent no index");
      }
      if (!(JSON.readTree(frame.body()) instanceof ObjectNode index)) {
        throw new IOException("the indexing process sent an index that is not a JSON object");
      }
      return index;
    } finally {
      process.destroyForcibly();
    }
  }

  private static byte[] readBounded(InputStream in) {
    try (in) {
      byte[] bytes = in.readNBytes(MAX_INDEX_BYTES + 1);
      if (bytes.length > MAX_INDEX_BYTES) {
        throw new IllegalStateException("the index is larger than " + MAX_INDEX_BYTES + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Throws unless {@code index} is a well-formed index of {@code alias} whose every resolution
   * stays inside {@code <repo>/node_modules} (the run's linker checks the same again).
   */
  static void check(JsonNode index, String alias) throws IOException {
    if (index.path("format").asInt() != FORMAT || !alias.equals(index.path("alias").asText())) {
      throw new IOException("the index is not a format-" + FORMAT + " index of " + alias);
    }
    if (!index.path("node").isTextual() || !index.path("javet").isTextual()) {
      throw new IOException("the index does not say which Node made it");
    }
    String entry = index.path("entry").asText();
    if (!entry.equals("import") && !entry.equals("require")) {
      throw new IOException("the index names an unknown build: " + entry);
    }
    if (!index.path("exportNames").isArray()) {
      throw new IOException("the index has no export names");
    }
    if (!(index.get("resolutions") instanceof ObjectNode resolutions)) {
      throw new IOException("the index has no resolutions");
    }
    if (!(index.get("packages") instanceof ObjectNode packages)) {
      throw new IOException("the index has no packages");
    }
    for (Map.Entry<String, JsonNode> e : packages.properties()) {
      if (!staysInside(e.getKey()) || !e.getValue().isTextual()) {
        throw new IOException("the index has a package outside node_modules: " + e.getKey());
      }
    }
    for (Map.Entry<String, JsonNode> e : resolutions.properties()) {
      int cut = e.getKey().indexOf('\0');
      String from = cut < 0 ? null : e.getKey().substring(0, cut);
      String to = e.getValue().isTextual() ? e.getValue().asText() : null;
      if (from == null || (!from.isEmpty() && !staysInside(from)) || to == null || to.isEmpty() || !staysInside(to)) {
        throw new IOException("the index has a resolution outside node_modules: " + e.getKey().replace('\0', ' ')
            + " -> " + e.getValue());
      }
    }
    if (!(index.get("lazy") instanceof ObjectNode lazy) || !(index.get("shapes") instanceof ObjectNode shapes)) {
      throw new IOException("the index has no lazy requires or no export shapes");
    }
    for (Map.Entry<String, JsonNode> e : lazy.properties()) {
      if (!e.getValue().equals(resolutions.get(e.getKey())) || !shapes.path(e.getValue().asText()).isObject()) {
        throw new IOException("the index has a lazy require that is not a recorded resolution with a shape: "
            + e.getKey().replace('\0', ' '));
      }
    }
  }

  /** A relative, normalised path that does not climb out of the folder it is relative to. */
  private static boolean staysInside(String relative) {
    if (relative.indexOf('\0') >= 0) {
      return false;
    }
    Path p = Path.of(relative);
    return !p.isAbsolute() && p.normalize().toString().equals(relative) && !relative.equals("..")
        && !relative.startsWith("../");
  }

  /** Whether the index in {@code file} is usable and was made from the packages installed now. */
  private boolean isCurrent(Path file, String alias, String stamp) {
    try {
      JsonNode index = JSON.readTree(file.toFile());
      check(index, alias);
      if (!stamp.equals(index.path("packageStamp").asText())
          || !JavetLibLoader.LIB_VERSION.equals(index.path("javet").asText())) {
        return false; // reinstalled, or made by the Node of another Kiln version
      }
      if (index.path("lazyDependencies").asBoolean(true) != lazyDependencies) {
        return false; // made before lazy dependencies were switched on or off
      }
      Path nodeModules = repoDir.resolve("node_modules");
      for (Map.Entry<String, JsonNode> e : index.get("packages").properties()) {
        if (!e.getValue().asText().equals(stamp(nodeModules.resolve(e.getKey())))) {
          return false; // a package of its graph was replaced (an install, npm moving packages)
        }
      }
      return true;
    } catch (IOException | RuntimeException unusable) {
      return false;
    }
  }

  /** Writes {@code bytes} to {@code file} through a temporary file renamed atomically, readable by all. */
  private static void write(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), ".index-", ".json.tmp");
    try {
      Files.write(temp, bytes);
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + file + " atomically", e);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * The identity of an installed {@code package.json}: inode, change time (ns) and size, as
   * {@code host/resolution.js}'s {@code packageStamp}. A reinstall creates a new file, so a new stamp.
   */
  static String stamp(Path packageRoot) throws IOException {
    return stampOf(packageRoot.resolve("package.json"));
  }

  private static String stampOf(Path file) throws IOException {
    Map<String, Object> a = Files.readAttributes(file, "unix:ino,ctime,size");
    long ctimeNanos = ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS);
    return a.get("ino") + ":" + ctimeNanos + ":" + a.get("size");
  }

  /** Stops indexing; a build in progress is abandoned (its process killed when it next waits). */
  @Override
  public void close() {
    worker.shutdownNow();
  }
}
