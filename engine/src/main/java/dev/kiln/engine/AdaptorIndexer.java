package dev.kiln.engine;

import static dev.kiln.runtime.AdaptorIndexMain.CACHE_FILE;
import static dev.kiln.runtime.AdaptorIndexMain.INDEX_FILE;

import com.caoccao.javet.interop.loader.JavetLibLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
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
  static final int FORMAT = 2;
  private static final System.Logger LOG = System.getLogger(AdaptorIndexer.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * The indexing process' memory limit is the default run's: V8 accepts a code cache only from a
   * process with the same flags, and the memory limit is one ({@code --max-old-space-size}).
   */
  private static final int MEMORY_LIMIT_MB = RunLimits.DEFAULT_MEMORY_LIMIT_MB;
  private static final long TIMEOUT_MS = 120_000;
  private static final int MAX_INDEX_BYTES = 256 << 20;

  private final Path repoDir;
  private final RunProcessLauncher launcher;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(
      Thread.ofPlatform().daemon().name("kiln-adaptor-indexer").factory());
  /**
   * alias → the latest build (in progress or done), the stamp of the adaptor's package.json and
   * of the repo's (which every install, Kiln's or npm's, rewrites) it was made for.
   */
  private final Map<String, Build> builds = new ConcurrentHashMap<>();

  private record Build(String stamp, String installs, CompletableFuture<Path> future) {}

  /** What an indexing process reports: the index, and its modules' code caches (or null). */
  record IndexFiles(ObjectNode index, byte[] cache) {}

  AdaptorIndexer(Path repoDir, RunProcessLauncher launcher) {
    this.repoDir = repoDir.toAbsolutePath().normalize();
    this.launcher = launcher;
  }

  /** Indexes adaptors of {@code sandbox}'s repo in processes locked down by {@code sandbox}. */
  public static AdaptorIndexer lockedDown(RunProcessSandbox sandbox) {
    return new AdaptorIndexer(sandbox.repoDir(), RunProcessLauncher.ofCurrentJvm(MAIN_CLASS).lockedDown(sandbox));
  }

  /** Where the index of {@code alias} ({@code name_version}) lives in {@code repoDir}. */
  static Path indexFile(Path repoDir, String alias) {
    return repoDir.resolve(".kiln").resolve("adaptors").resolve(alias).resolve(INDEX_FILE);
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
      IndexFiles files = record(root);
      ObjectNode index = files.index();
      check(index, alias);
      boolean precompiled = checkPrecompiled(index, files.cache(), repoDir.resolve("node_modules"), alias);
      if (!stamp.equals(index.path("packageStamp").asText()) || !stamp.equals(stamp(root))) {
        throw new IOException("the adaptor's package.json changed while it was indexed (reinstalled?): "
            + stamp + " before, " + index.path("packageStamp").asText() + " while indexing, " + stamp(root) + " after");
      }
      if (precompiled) {
        // the caches first: a run reading the new index finds them (or, between the two moves,
        // finds them unlike the SHA-256 in the old index, and loads without them)
        write(file.resolveSibling(CACHE_FILE), files.cache());
      }
      write(file, JSON.writeValueAsBytes(index));
      LOG.log(System.Logger.Level.INFO, "Indexed the adaptor " + alias + " in " + (System.nanoTime() - start) / 1_000_000
          + " ms (" + index.get("entry").asText() + " build, " + index.get("resolutions").size() + " resolutions, "
          + index.path("bundle").path("modules").size() + " precompiled modules)");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while indexing " + alias, e);
    }
  }

  /** Runs the indexing process and returns the index it reports. */
  private IndexFiles record(Path root) throws IOException, InterruptedException {
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
      FrameReader frames = new FrameReader(new ByteArrayInputStream(stdout));
      Map<String, byte[]> bodies = new HashMap<>();
      for (Frame frame = frames.read(); frame != null; frame = frames.read()) {
        if (!FrameType.ADAPTOR_INDEX.equals(frame.type())) {
          throw new IOException("the indexing process sent a " + frame.type() + " frame");
        }
        bodies.put(JSON.readTree(frame.metaJson()).path("file").asText(), frame.body());
      }
      if (bodies.get(INDEX_FILE) == null) {
        throw new IOException("the indexing process sent no index");
      }
      if (!(JSON.readTree(bodies.get(INDEX_FILE)) instanceof ObjectNode index)) {
        throw new IOException("the indexing process sent an index that is not a JSON object");
      }
      return new IndexFiles(index, bodies.get(CACHE_FILE));
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
  }

  /**
   * Whether the index's precompiled modules ({@code bundle}: {@code modules} of
   * {@code [path, SHA-256 of its content, cache start, cache end]}) can be stored: every module is
   * an installed file inside {@code nodeModules} with that SHA-256 (a run checks the content it
   * reads again), and every cache range lies inside {@code cache}. If so, the SHA-256 of the
   * caches, computed here, goes into the index (a run uses them only when it matches: V8 does not
   * check a cache's content); if not, {@code bundle} is removed (the adaptor loads with the
   * resolution index only) and a warning logged.
   */
  static boolean checkPrecompiled(ObjectNode index, byte[] cache, Path nodeModules, String alias) {
    if (!(index.get("bundle") instanceof ObjectNode bundle)) {
      return false;
    }
    try {
      if (cache == null || !(bundle.get("modules") instanceof ArrayNode modules)) {
        throw new IOException("the modules' caches are missing");
      }
      for (JsonNode module : modules) {
        String relative = module.path(0).asText();
        long start = module.path(2).asLong(-1);
        long end = module.path(3).asLong(-1);
        if (module.size() != 4 || !module.path(0).isTextual() || relative.isEmpty() || !staysInside(relative)) {
          throw new IOException("a module outside node_modules: " + module);
        }
        if (start < 0 || start > end || end > cache.length) {
          throw new IOException("a module's cache lies outside the caches: " + module);
        }
        byte[] content = Files.readAllBytes(nodeModules.resolve(relative));
        String sha = module.path(1).asText();
        // Node drops a UTF-8 byte order mark before it compiles a module
        boolean bom = content.length >= 3 && content[0] == (byte) 0xEF && content[1] == (byte) 0xBB && content[2] == (byte) 0xBF;
        if (!sha.equals(sha256(content)) && !(bom && sha.equals(sha256(Arrays.copyOfRange(content, 3, content.length))))) {
          throw new IOException("the cache of " + relative + " was not made from the installed file");
        }
      }
      bundle.put("cacheSha256", sha256(cache));
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "The precompiled modules of " + alias
          + " are not stored (it loads with its resolution index only): " + e.getMessage());
      index.remove("bundle");
      return false;
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JDK", e);
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
      Path nodeModules = repoDir.resolve("node_modules");
      for (Map.Entry<String, JsonNode> e : index.get("packages").properties()) {
        if (!e.getValue().asText().equals(stamp(nodeModules.resolve(e.getKey())))) {
          return false; // a package of its graph was replaced (an install, npm moving packages)
        }
      }
      JsonNode bundle = index.path("bundle");
      return bundle.isMissingNode()
          || bundle.path("cacheSha256").asText().equals(sha256(Files.readAllBytes(file.resolveSibling(CACHE_FILE))));
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
