package dev.kiln.engine;

import static dev.kiln.engine.RecordingListener.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.engine.install.AdaptorInstaller;
import dev.kiln.engine.install.RegistryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolution index of the real {@code @openfn/language-common@3.3.4}, installed from npm into a
 * fresh repo: built by a locked-down indexing process once per installed version, used by run
 * processes with the same exports as without it.
 */
@Tag("integration")
@Timeout(300)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdaptorIndexerIntegrationTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NAME = "@openfn/language-common";
  private static final String VERSION = "3.3.4";
  private static final String ALIAS = NAME + "_" + VERSION;
  private static final String EXPORTS_JOB = """
      import * as common from '@openfn/language-common';
      export default [(s) => ({ data: Object.keys(common).sort().map((k) => k + ':' + typeof common[k]) })];
      """;
  /** Uses what language-common's dependencies give: lodash, date-fns, jsonpath-plus, csv-parse, undici. */
  private static final String DEPENDENCIES_JOB = """
      import { _, dateFns, dataValue, parseCsv, fn, http } from '@openfn/language-common';
      export default [
        fn((s) => ({ ...s, data: { chunks: _.chunk([1, 2, 3], 2), isArray: _.isArray([]), year: dateFns.format(new Date(0), 'yyyy'),
          lodashKeys: Object.keys(_).length, dateFnsNames: Object.keys(dateFns).length, items: [{ n: 1 }] } })),
        (s) => ({ ...s, data: { ...s.data, path: dataValue('items[0].n')(s) } }),
        parseCsv('a,b\\n1,2', { columns: true }, (s) => ({ ...s, data: { ...s.data, csv: s.data } })),
        async (s) => {
          try {
            await http.get('http://127.0.0.1:1/unreachable')(s);
            return s;
          } catch (e) {
            return { ...s, data: { ...s.data, http: e.code ?? e.message.split(' ')[0] } };
          }
        },
      ];
      """;

  @TempDir
  static Path repo;
  private static Path root;
  private static Path indexFile;
  private static RunSupervisor supervisor;

  @BeforeAll
  static void install() throws Exception {
    root = new AdaptorInstaller(repo, RegistryConfig.fromEnvironment()).install(NAME + "@" + VERSION).root();
    indexFile = AdaptorIndexer.indexFile(repo, ALIAS);
    supervisor = RunSupervisor.create(repo, false);
  }

  @AfterAll
  static void close() {
    supervisor.close();
  }

  private static AdaptorIndexer indexer() {
    return AdaptorIndexer.lockedDown(RunProcessSandbox.lockedDown(repo, null));
  }

  private static Path await(CompletableFuture<Path> build) throws Exception {
    return build.get(120, TimeUnit.SECONDS);
  }

  /** Runs the exports job; returns the export names and types and whether the index was used. */
  private static JsonNode[] runExportsJob() {
    return runJob(EXPORTS_JOB);
  }

  /** Runs {@code job}; returns its final state's data and whether the index was used. */
  private static JsonNode[] runJob(String job) {
    RecordingListener listener = new RecordingListener();
    RunOutcome outcome = supervisor.run(RunRequest.of(TestPlans.oneStep("job", job, NAME + "@" + VERSION), null),
        listener);
    assertThat(outcome.failure()).as("events %s", listener.events).isNull();
    boolean indexed = listener.ofType("log").stream()
        .anyMatch(e -> e.meta().path("message").asText().contains("Loading " + ALIAS + " with its resolution index"));
    return new JsonNode[] {json(outcome.finalState()).path("data"), JSON.getNodeFactory().booleanNode(indexed)};
  }

  @Test
  @Order(1)
  void anIndexedRunSeesTheSameExportsAsAnUnindexedOne() throws Exception {
    Files.deleteIfExists(indexFile);
    JsonNode[] without = runExportsJob();
    JsonNode[] dependenciesWithout = runJob(DEPENDENCIES_JOB);
    assertThat(without[1].asBoolean()).isFalse();
    try (AdaptorIndexer indexer = indexer()) {
      await(indexer.ensure(NAME, VERSION));
    }
    JsonNode[] with = runExportsJob();
    assertThat(with[1].asBoolean()).as("the run used the index").isTrue();
    assertThat(with[0]).isEqualTo(without[0]);
    assertThat(with[0].toString()).contains("\"fn:function\"", "\"each:function\"", "\"_:function\"");
    // its dependencies are evaluated lazily (stand-ins until first used), with the same results
    JsonNode[] dependenciesWith = runJob(DEPENDENCIES_JOB);
    assertThat(dependenciesWith[1].asBoolean()).as("the run used the index").isTrue();
    assertThat(dependenciesWith[0]).isEqualTo(dependenciesWithout[0]);
    assertThat(dependenciesWith[0].toString()).contains("\"chunks\":[[1,2],[3]]", "\"year\":\"1970\"", "\"path\":1",
        "\"http\":"); // undici, loaded at the request: the same error either way
  }

  @Test
  @Order(2)
  void anAdaptorIsIndexedOncePerInstalledVersion() throws Exception {
    try (AdaptorIndexer indexer = indexer()) {
      CompletableFuture<Path> first = indexer.ensure(NAME, VERSION);
      assertThat(await(first)).isEqualTo(indexFile);
      assertThat(indexer.ensure(NAME, VERSION)).isSameAs(first);
    }
    JsonNode index = JSON.readTree(indexFile.toFile());
    assertThat(index.path("alias").asText()).isEqualTo(ALIAS);
    assertThat(index.path("entry").asText()).isEqualTo("require"); // its ES build does not link on Node 22.12
    assertThat(index.path("node").asText()).isEqualTo("22.12.0");
    assertThat(index.path("javet").asText()).isEqualTo(com.caoccao.javet.interop.loader.JavetLibLoader.LIB_VERSION);
    assertThat(index.path("packageStamp").asText()).isEqualTo(AdaptorIndexer.stamp(root));
    assertThat(index.path("resolutions").size()).isGreaterThan(1000);
    assertThat(index.path("shapes").properties()).extracting(java.util.Map.Entry::getKey)
        .contains("undici/index.js", "date-fns/index.js", "lodash/lodash.js");
    assertThat(Files.getPosixFilePermissions(indexFile)).extracting(Object::toString)
        .contains("OTHERS_READ").doesNotContain("OTHERS_WRITE", "GROUP_WRITE");
    Object written = Files.getAttribute(indexFile, "unix:ino");
    try (AdaptorIndexer afterRestart = indexer()) {
      await(afterRestart.ensure(NAME, VERSION));
    }
    assertThat(Files.getAttribute(indexFile, "unix:ino")).as("kept, not rewritten").isEqualTo(written);
  }

  @Test
  @Order(3)
  void aReinstalledAdaptorOrACorruptIndexIsIndexedAgain() throws Exception {
    Path packageJson = root.resolve("package.json");
    Path copy = root.resolve("package.json.copy");
    Files.copy(packageJson, copy);
    Files.move(copy, packageJson, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    try (AdaptorIndexer indexer = indexer()) {
      await(indexer.ensure(NAME, VERSION));
    }
    assertThat(JSON.readTree(indexFile.toFile()).path("packageStamp").asText()).isEqualTo(AdaptorIndexer.stamp(root));

    Files.writeString(indexFile, "{\"format\": 1, \"alias\": \"" + ALIAS + "\", \"entry\": \"require\", \"resolu");
    try (AdaptorIndexer indexer = indexer()) {
      await(indexer.ensure(NAME, VERSION));
    }
    assertThat(JSON.readTree(indexFile.toFile()).path("resolutions").size()).isGreaterThan(1000);
  }

  @Test
  @Order(4)
  void anIndexWhoseDependencyWasReplacedIsRebuilt() throws Exception {
    Path dateFns = repo.resolve("node_modules/date-fns/package.json");
    assertThat(JSON.readTree(indexFile.toFile()).path("packages").has("date-fns")).isTrue();
    Files.copy(dateFns, dateFns.resolveSibling("package.json.copy"));
    Files.move(dateFns.resolveSibling("package.json.copy"), dateFns, StandardCopyOption.REPLACE_EXISTING);
    try (AdaptorIndexer indexer = indexer()) {
      await(indexer.ensure(NAME, VERSION));
    }
    assertThat(JSON.readTree(indexFile.toFile()).path("packages").path("date-fns").asText())
        .isEqualTo(AdaptorIndexer.stamp(dateFns.getParent()));
  }

  @Test
  @Order(5)
  void withLazyDependenciesOffTheIndexHasNoLazyRequiresAndSwitchingRebuildsIt() throws Exception {
    RunProcessSandbox sandbox = RunProcessSandbox.lockedDown(repo, null);
    try (AdaptorIndexer indexer = AdaptorIndexer.lockedDown(sandbox, false)) {
      await(indexer.ensure(NAME, VERSION));
    }
    JsonNode off = JSON.readTree(indexFile.toFile());
    assertThat(off.path("lazy").size()).isZero();
    assertThat(off.path("lazyDependencies").asBoolean(true)).isFalse();
    try (AdaptorIndexer indexer = AdaptorIndexer.lockedDown(sandbox, true)) {
      await(indexer.ensure(NAME, VERSION));
    }
    assertThat(JSON.readTree(indexFile.toFile()).path("lazy").size()).isPositive();
  }

  @Test
  @Order(6)
  void aVersionThatIsNotInstalledIsNotIndexed() {
    try (AdaptorIndexer indexer = indexer()) {
      assertThat(indexer.ensure(NAME, "0.0.1")).isCompletedExceptionally();
    }
    assertThat(AdaptorIndexer.indexFile(repo, NAME + "_0.0.1")).doesNotExist();
  }
}
