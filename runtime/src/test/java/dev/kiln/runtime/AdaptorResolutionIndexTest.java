package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adaptor resolution index (host/resolution.js, linker.js): recorded in one fresh runtime,
 * replayed in others, on a copy of the fixture repo. Every load happens in its own runtime.
 */
@Tag("integration")
class AdaptorResolutionIndexTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALIAS = "@openfn/language-dualbuild_1.0.0";
  private static final String SPECIFIER = "@openfn/language-dualbuild@1.0.0";

  @TempDir
  Path repo;
  private Path root;
  private Path indexFile;

  @BeforeEach
  void copyTheFixtureRepo() throws IOException {
    Fixtures.copyRepo(repo);
    root = repo.resolve("node_modules").resolve(ALIAS);
    indexFile = repo.resolve(".kiln/adaptors").resolve(ALIAS).resolve("index.json");
  }

  private ObjectNode record() {
    return record(root);
  }

  /** The index of the adaptor installed in {@code adaptor}, recorded in a fresh runtime. */
  static ObjectNode record(Path adaptor) {
    return (ObjectNode) HostScripts.inFreshRuntime("hostRequire('linker.js').recordAdaptorIndex(" + JSON.valueToTree(adaptor.toString()) + ")");
  }

  /** The adaptor as a job sees it (export names → values, functions called), and the linker's log. */
  private JsonNode load() {
    return HostScripts.inFreshRuntime("""
        (async () => {
          const logs = [];
          const log = { debug: (m) => logs.push(m), info: () => {}, warn: (m) => logs.push('WARN ' + m) };
          const link = hostRequire('linker.js').createLinker({ repo: %s, whitelist: [], log });
          const module = await link('%s', require('node:vm').createContext());
          await module.link(() => {});
          await module.evaluate();
          const exports = {};
          for (const [name, value] of Object.entries(module.namespace)) {
            exports[name] = typeof value === 'function' ? 'function → ' + value() : value;
          }
          return { exports, logs };
        })()""".formatted(JSON.valueToTree(repo.toString()), SPECIFIER));
  }

  private void writeIndex(JsonNode index) {
    try {
      Files.createDirectories(indexFile.getParent());
      Files.writeString(indexFile, JSON.writeValueAsString(index));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void recordsWhichBuildLoadsAndTheCommonJsResolutionsInsideNodeModules() {
    ObjectNode index = record();
    assertThat(index.path("format").asInt()).isEqualTo(3);
    assertThat(index.path("exportNames").toString()).isEqualTo("[\"build\",\"default\",\"hello\"]");
    assertThat(index.path("alias").asText()).isEqualTo(ALIAS);
    assertThat(index.path("entry").asText()).isEqualTo("require"); // the ES build cannot link babel-getters
    assertThat(index.path("packageStamp").asText()).matches("\\d+:\\d+:\\d+");
    assertThat(index.path("resolutions").path(ALIAS + "\0babel-getters").asText()).isEqualTo("babel-getters/index.js");
    assertThat(index.path("packages").properties()).extracting(java.util.Map.Entry::getKey)
        .containsExactlyInAnyOrder(ALIAS, "babel-getters");
    // the entry itself is resolved by the ES loader, not recorded as a CommonJS request
    index.path("resolutions").properties().forEach(e -> assertThat(e.getValue().asText()).doesNotStartWith("/"));
  }

  @Test
  void loadingWithTheIndexGivesTheSameExportsAsWithout() {
    JsonNode without = load();
    writeIndex(record());
    JsonNode with = load();
    assertThat(with.path("exports")).isEqualTo(without.path("exports"));
    assertThat(without.path("exports").path("build").asText()).isEqualTo("cjs");
    assertThat(without.path("logs").toString()).contains("instead of").doesNotContain("resolution index");
    assertThat(with.path("logs").toString())
        .contains("Loading " + ALIAS + " with its resolution index (require build)")
        .doesNotContain("instead of"); // no failed attempt at the ES build
  }

  @Test
  void theIndexAnswersRequiresUntilTheRecordedFileIsGone() throws IOException {
    ObjectNode index = record();
    // an index pointing babel-getters elsewhere inside node_modules is followed: only the engine may write it
    Files.writeString(repo.resolve("node_modules/babel-getters/other.js"), "exports.greet = () => 'from the index';");
    ((ObjectNode) index.get("resolutions")).put(ALIAS + "\0babel-getters", "babel-getters/other.js");
    ((ObjectNode) index.get("lazy")).remove(ALIAS + "\0babel-getters"); // (a lazy require must agree with it)
    writeIndex(index);
    assertThat(load().path("exports").path("hello").asText()).isEqualTo("function → from the index");
    Files.delete(repo.resolve("node_modules/babel-getters/other.js"));
    assertThat(load().path("exports").path("hello").asText()).isEqualTo("function → hello"); // Node's resolver again
  }

  @Test
  void anUnusableIndexIsIgnoredWithAWarning() throws IOException {
    JsonNode expected = load().path("exports");
    ObjectNode good = record();
    ObjectNode outside = good.deepCopy();
    ((ObjectNode) outside.get("resolutions")).put(ALIAS + "\0babel-getters", "../../etc/passwd");
    ObjectNode absolute = good.deepCopy();
    ((ObjectNode) absolute.get("resolutions")).put(ALIAS + "\0babel-getters", "/etc/passwd");
    ObjectNode notNormalised = good.deepCopy(); // would resolve inside, but is not what the engine writes
    ((ObjectNode) notNormalised.get("resolutions")).put(ALIAS + "\0babel-getters", "babel-getters/./index.js");
    ObjectNode climbing = good.deepCopy();
    ((ObjectNode) climbing.get("resolutions")).put("babel-getters/../..\0x", "babel-getters/index.js");
    ObjectNode reinstalled = good.deepCopy().put("packageStamp", "1:2:3");
    ObjectNode otherAdaptor = good.deepCopy().put("alias", "@openfn/language-fixture_1.0.0");
    ObjectNode otherNode = good.deepCopy().put("node", "20.0.0");
    ObjectNode lazyElsewhere = good.deepCopy(); // a lazy require must be a recorded resolution
    ((ObjectNode) lazyElsewhere.get("lazy")).put(ALIAS + "\0babel-getters", "lodash-like/index.js");
    ((ObjectNode) lazyElsewhere.get("shapes")).putObject("lodash-like/index.js").put("kind", "object")
        .putArray("keys").add("greet");
    ((ObjectNode) lazyElsewhere.get("shapes").get("lodash-like/index.js")).putArray("hidden");
    for (JsonNode bad : new JsonNode[] {
        outside, absolute, notNormalised, climbing, reinstalled, otherAdaptor, otherNode, lazyElsewhere}) {
      writeIndex(bad);
      JsonNode loaded = load();
      assertThat(loaded.path("exports")).isEqualTo(expected);
      assertThat(loaded.path("logs").toString()).contains("WARN Ignoring the adaptor index").contains("instead of");
    }
    // a package of its graph replaced since (an install or npm moving packages): a new package.json
    writeIndex(good);
    Path dependency = repo.resolve("node_modules/babel-getters/package.json");
    Files.copy(dependency, dependency.resolveSibling("copy.json"));
    Files.move(dependency.resolveSibling("copy.json"), dependency, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    JsonNode afterReplace = load();
    assertThat(afterReplace.path("exports")).isEqualTo(expected);
    assertThat(afterReplace.path("logs").toString()).contains("the package babel-getters was replaced or removed since");
    Files.writeString(indexFile, "{\"format\": 1, \"alias\": ");
    assertThat(load().path("logs").toString()).contains("WARN Ignoring the adaptor index");
    // made by an older Kiln: loaded as without, quietly (the engine rebuilds it)
    writeIndex(good.deepCopy().put("format", 1));
    assertThat(load().path("logs").toString()).doesNotContain("Ignoring").doesNotContain("resolution index")
        .contains("instead of");
    Files.delete(indexFile);
    assertThat(load().path("logs").toString()).doesNotContain("Ignoring").doesNotContain("resolution index");
  }

  @Test
  void aPreloadUsesTheIndex() {
    writeIndex(record());
    JsonNode result = HostScripts.inFreshRuntime("""
        (async () => {
          const Module = require('node:module');
          const { preloadAdaptor } = hostRequire('linker.js');
          await preloadAdaptor(%s);
          return { wrapped: Module._resolveFilename.name };
        })()""".formatted(JSON.valueToTree(root.toString())));
    assertThat(result.path("wrapped").asText()).isEqualTo("indexedResolveFilename");
  }

  private static final String LAZY_ALIAS = "@openfn/language-lazydeps_1.0.0";

  @Test
  void requiresOfOtherPackagesWithoutGlobalEffectsAreRecordedAsLazy() {
    ObjectNode index = record(repo.resolve("node_modules").resolve(LAZY_ALIAS));
    assertThat(index.path("lazy").properties()).extracting(java.util.Map.Entry::getValue).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("lazy-object/index.js", "lazy-function/index.js", "lazy-class/index.js");
    assertThat(index.path("lazy").path(LAZY_ALIAS + "\0lazy-object").asText()).isEqualTo("lazy-object/index.js");
    JsonNode object = index.path("shapes").path("lazy-object/index.js");
    assertThat(object.path("kind").asText()).isEqualTo("object");
    assertThat(object.path("keys").toString()).isEqualTo("[\"add\",\"fixed\",\"__esModule\"]");
    assertThat(object.path("hidden").toString()).isEqualTo("[\"__esModule\"]");
    assertThat(object.path("esModule").asBoolean()).isTrue();
    assertThat(index.path("shapes").path("lazy-class/index.js").path("kind").asText()).isEqualTo("function");
    // global-effect changed globalThis when evaluated; symbol-keys has a key a stand-in cannot answer
    // for; for-effects is required in a statement of its own
    assertThat(index.path("resolutions").path(LAZY_ALIAS + "\0global-effect").asText()).isEqualTo("global-effect/index.js");
    assertThat(index.path("shapes").has("global-effect/index.js")).isFalse();
    assertThat(index.path("shapes").has("symbol-keys/index.js")).isFalse();
    assertThat(index.path("lazy").has(LAZY_ALIAS + "\0for-effects")).isFalse(); // `require('for-effects');`
  }

  /** Imports the lazydeps adaptor, then calls its exports; which fixture packages were evaluated when. */
  private JsonNode loadLazyDeps() {
    return HostScripts.inFreshRuntime("""
        (async () => {
          const Module = require('node:module');
          const evaluated = () => Object.keys(Module._cache).map((f) => /node_modules\\/([^/@][^/]*)\\/index\\.js$/.exec(f)?.[1])
              .filter(Boolean).sort();
          const link = hostRequire('linker.js').createLinker({ repo: %s, whitelist: [] });
          const module = await link('@openfn/language-lazydeps', require('node:vm').createContext());
          await module.link(() => {});
          await module.evaluate();
          const atImport = evaluated();
          const { add, tool, thing, count, effects } = module.namespace;
          return { atImport, results: [add(1, 2), tool('x'), thing(4), count(9), effects()], afterUse: evaluated() };
        })()""".formatted(JSON.valueToTree(repo.toString())));
  }

  @Test
  void aLazyDependencyIsEvaluatedAtItsFirstUseWithTheSameResults() throws IOException {
    JsonNode without = loadLazyDeps();
    assertThat(without.path("atImport").toString()).contains("lazy-object", "lazy-function", "lazy-class");
    Path lazyIndex = repo.resolve(".kiln/adaptors").resolve(LAZY_ALIAS).resolve("index.json");
    Files.createDirectories(lazyIndex.getParent());
    Files.writeString(lazyIndex, JSON.writeValueAsString(record(repo.resolve("node_modules").resolve(LAZY_ALIAS))));
    JsonNode with = loadLazyDeps();
    assertThat(with.path("atImport").toString()).isEqualTo("[\"for-effects\",\"global-effect\",\"symbol-keys\"]");
    assertThat(with.path("results")).isEqualTo(without.path("results"));
    assertThat(with.path("results").toString()).isEqualTo("[3,\"tool x\",4,10,\"global:symbol:1\"]");
    assertThat(with.path("afterUse")).isEqualTo(without.path("afterUse"));
  }

  /** The namespace a job gets of the cjsnames adaptor: each name, its type and value, after calling bump(). */
  private JsonNode cjsNamesAsAJobSeesThem() {
    return HostScripts.inFreshRuntime("""
        (async () => {
          const link = hostRequire('linker.js').createLinker({ repo: %s, whitelist: [] });
          const module = await link('@openfn/language-cjsnames', require('node:vm').createContext());
          await module.link(() => {});
          await module.evaluate();
          const ns = module.namespace;
          ns.bump();
          const shown = (v) => (typeof v === 'function' ? null : typeof v === 'object' && v ? Object.keys(v) : v ?? null);
          return Object.keys(ns).map((k) => [k, typeof ns[k], shown(ns[k])]);
        })()""".formatted(JSON.valueToTree(repo.toString())));
  }

  @Test
  void anIndexedCommonJsBuildIsRequiredAndGivesTheNamespaceNodesImportGives() throws IOException {
    String alias = "@openfn/language-cjsnames_1.0.0";
    JsonNode imported = cjsNamesAsAJobSeesThem();
    Path index = repo.resolve(".kiln/adaptors").resolve(alias).resolve("index.json");
    Files.createDirectories(index.getParent());
    ObjectNode recorded = record(repo.resolve("node_modules").resolve(alias));
    assertThat(recorded.path("entry").asText()).isEqualTo("require");
    Files.writeString(index, JSON.writeValueAsString(recorded));
    JsonNode required = cjsNamesAsAJobSeesThem();
    assertThat(required).isEqualTo(imported);
    // a snapshot after evaluation (bump() changed module.exports, not the namespace); a name the lexer
    // found that is not an own property; module.exports as default (its getter that throws unread)
    assertThat(imported.toString()).contains("[\"counter\",\"number\",0]", "[\"inherited\",\"undefined\",null]",
        "[\"plain\",\"string\",\"plain\"]", "[\"default\",\"object\",[\"default\",\"plain\",\"counter\",\"bump\",\"throwing\",\"greet\"]]");
  }
}
