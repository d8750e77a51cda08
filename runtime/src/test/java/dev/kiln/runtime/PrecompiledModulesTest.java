package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The precompiled modules of the adaptor index (host/precompiled.js): code caches recorded with the
 * index in one fresh runtime, used in others, on a copy of the fixture repo; the fixture adaptor
 * reports what its modules saw of how they were loaded.
 */
@Tag("integration")
class PrecompiledModulesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALIAS = "@openfn/language-precompiled_1.0.0";

  @TempDir
  Path repo;
  private Path root;
  private Path folder;

  @BeforeEach
  void copyTheFixtureRepo() throws IOException {
    Fixtures.copyRepo(repo);
    root = repo.resolve("node_modules").resolve(ALIAS);
    folder = repo.resolve(".kiln/adaptors").resolve(ALIAS);
  }

  /** Records the index and caches, and writes both with the caches' SHA-256, as the engine does. */
  private ObjectNode recordAndWrite() throws IOException, NoSuchAlgorithmException {
    JsonNode recorded = HostScripts.evalInFreshRuntime("hostRequire('linker.js').recordAdaptorIndex("
        + JSON.valueToTree(root.toString()) + ").then(({ index, cache }) => ({ index, cache: cache.toString('base64') }))");
    ObjectNode index = (ObjectNode) recorded.get("index");
    byte[] cache = Base64.getDecoder().decode(recorded.get("cache").asText());
    ((ObjectNode) index.get("bundle")).put("cacheSha256",
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cache)));
    Files.createDirectories(folder);
    Files.write(folder.resolve("modules.cache"), cache);
    writeIndex(index);
    return index;
  }

  private void writeIndex(JsonNode index) throws IOException {
    Files.writeString(folder.resolve("index.json"), JSON.writeValueAsString(index));
  }

  /**
   * Loads the adaptor as a run does; returns what its modules saw, the linker's log, and how many
   * modules V8 compiled from a cache ({@code cached}) and how many caches it rejected.
   */
  private JsonNode load() {
    return HostScripts.evalInFreshRuntime("""
        (async () => {
          const vm = require('node:vm');
          const scripts = { cached: 0, rejected: 0 };
          const Script = vm.Script;
          vm.Script = function (source, options) {
            const script = new Script(source, options);
            if (options?.cachedData) scripts[script.cachedDataRejected ? 'rejected' : 'cached'] += 1;
            return script;
          };
          const logs = [];
          const log = { debug: (m) => logs.push(m), info: () => {}, warn: (m) => logs.push('WARN ' + m) };
          const link = hostRequire('linker.js').createLinker({ repo: %s, whitelist: [], log });
          const module = await link('@openfn/language-precompiled@1.0.0', vm.createContext());
          await module.link(() => {});
          await module.evaluate();
          const { facts, stackTop, later } = module.namespace;
          return { facts: facts(), stackTop: stackTop(), later: await later(), logs, scripts };
        })()""".formatted(JSON.valueToTree(repo.toString())));
  }

  @Test
  void modulesLoadFromTheirCachesAndSeeWhatNodeCompiledModulesSee() throws Exception {
    JsonNode compiledByNode = load();
    assertThat(compiledByNode.path("scripts").path("cached").asInt()).isZero();
    ObjectNode index = recordAndWrite();
    assertThat(index.path("bundle").path("modules")).extracting(m -> m.get(0).asText())
        .containsExactly(ALIAS + "/index.js", "precompiled-dep/dep.js"); // not the JSON, not the ES module

    JsonNode precompiled = load();
    assertThat(precompiled.path("scripts").path("cached").asInt()).isEqualTo(2);
    assertThat(precompiled.path("scripts").path("rejected").asInt()).isZero();
    assertThat(precompiled.path("logs").toString())
        .contains("Loading " + ALIAS + " with its resolution index (import build, 2 precompiled modules)");
    assertThat(precompiled.path("facts")).isEqualTo(compiledByNode.path("facts"));
    assertThat(precompiled.path("facts").toString()).contains(
        "\"thisIsExports\":true", "\"argumentCount\":5", "\"filename\":\"index.js\"", "\"inRequireCache\":true",
        "\"resolved\":\"../../precompiled-dep/dep.js\"", "\"lookupPaths\":true", "\"loadedWhileRunning\":false",
        "\"children\":[\"dep.js\",\"data.json\"]", "\"depParent\":\"index.js\"", "\"json\":42",
        "\"esmSyntax\":\"ES module syntax in a .js file\"");
    assertThat(precompiled.path("stackTop")).isEqualTo(compiledByNode.path("stackTop"));
    assertThat(precompiled.path("stackTop").asText()).isEqualTo("at Object.stackTop (dep.js:3:10)");
    assertThat(precompiled.path("later").asText()).isEqualTo("imported dynamically");
  }

  @Test
  void aModuleChangedSinceIsCompiledFromTheFileAsItIsNow() throws Exception {
    recordAndWrite();
    Path dep = repo.resolve("node_modules/precompiled-dep/dep.js");
    // the same length: V8 alone would take the old cache for it
    Files.writeString(dep, Files.readString(dep).replace("'hello'", "'HELLO'"));
    JsonNode loaded = load();
    assertThat(loaded.path("scripts").path("cached").asInt()).as("index.js only").isEqualTo(1);
    assertThat(loaded.path("facts").path("greeting").asText()).isEqualTo("HELLO");
    assertThat(loaded.path("facts").path("depParent").asText()).isEqualTo("index.js");
    assertThat(loaded.path("later").asText()).isEqualTo("imported dynamically");
  }

  @Test
  void aCorruptCacheFileIsIgnoredWithAWarning() throws Exception {
    recordAndWrite();
    byte[] cache = Files.readAllBytes(folder.resolve("modules.cache"));
    for (int i = 64; i < cache.length; i += 97) {
      cache[i] ^= 0x5a; // V8 does not check a cache's content: loading this one could crash the process
    }
    Files.write(folder.resolve("modules.cache"), cache);
    JsonNode loaded = load();
    assertThat(loaded.path("scripts").path("cached").asInt()).isZero();
    assertThat(loaded.path("logs").toString())
        .contains("WARN Ignoring the precompiled modules " + folder.resolve("modules.cache") + ": it is not the file")
        .contains("with its resolution index (import build, 0 precompiled modules)");
    assertThat(loaded.path("facts").path("json").asInt()).isEqualTo(42);
  }

  @Test
  void aCacheV8RejectsTurnsTheCachesOffAndTheModulesAreCompiled() throws Exception {
    ObjectNode index = recordAndWrite();
    // each module pointed at the other's cache: the file is intact, V8 refuses the mismatch
    ArrayNode modules = (ArrayNode) index.path("bundle").path("modules");
    ArrayNode first = (ArrayNode) modules.get(0);
    ArrayNode second = (ArrayNode) modules.get(1);
    JsonNode[] firstRange = {first.get(2), first.get(3)};
    first.set(2, second.get(2));
    first.set(3, second.get(3));
    second.set(2, firstRange[0]);
    second.set(3, firstRange[1]);
    writeIndex(index);
    JsonNode loaded = load();
    assertThat(loaded.path("scripts").path("rejected").asInt()).as("the first one only").isEqualTo(1);
    assertThat(loaded.path("scripts").path("cached").asInt()).isZero();
    assertThat(loaded.path("facts").path("children").toString()).isEqualTo("[\"dep.js\",\"data.json\"]");
    assertThat(loaded.path("later").asText()).isEqualTo("imported dynamically");
  }

  @Test
  void modulesOutsideNodeModulesAreRefused() throws Exception {
    ObjectNode index = recordAndWrite();
    ((ArrayNode) index.path("bundle").path("modules").get(0)).set(0, JSON.getNodeFactory().textNode("../outside.js"));
    writeIndex(index);
    JsonNode loaded = load();
    assertThat(loaded.path("logs").toString()).contains("WARN Ignoring the precompiled modules", "a malformed module entry");
    assertThat(loaded.path("scripts").path("cached").asInt()).isZero();
  }
}
