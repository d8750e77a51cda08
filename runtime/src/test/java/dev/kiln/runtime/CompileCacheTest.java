package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk compile cache: what makes a hit, what makes a miss, and that it never fails a compile. */
class CompileCacheTest {
  private static final String FIXTURE = "@openfn/language-fixture@1.0.0";
  private static final String SOURCE = "fn(s => s);\ncall(() => x);\n";

  @TempDir Path dir;
  private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();

  private CompileCache cache(String compilerFingerprint) {
    return cache(compilerFingerprint, 256L << 20);
  }

  private CompileCache cache(String compilerFingerprint, long maxBytes) {
    return new CompileCache(new CacheFolder(dir, maxBytes, new PrintStream(diagnostics, true, StandardCharsets.UTF_8)),
        compilerFingerprint);
  }

  private static CompiledStep compile(CompileCache cache, String source, String... adaptors) {
    PlanStep step = new PlanStep("step-1", "my step", source, List.of(adaptors), null, null,
        JsonNodeFactory.instance.objectNode(), List.of());
    return new JobStepCompiler(cache).compile(step, Fixtures.repo(), Set.of());
  }

  private List<Path> entries(String prefix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList();
    }
  }

  @Test
  void aSecondCompileOfTheSameStepIsAHitWithTheSameOutput() {
    CompiledStep first = compile(cache("compiler-a"), SOURCE, FIXTURE);
    CompiledStep second = compile(cache("compiler-a"), SOURCE, FIXTURE);

    assertThat(first.fromCache()).isFalse();
    assertThat(second.fromCache()).isTrue();
    assertThat(second.code()).isEqualTo(first.code()).contains("@openfn/language-fixture").contains("call");
    assertThat(second.sourceMapJson()).isEqualTo(first.sourceMapJson());
    assertThat(second.operations()).isEqualTo(first.operations()).hasSize(2);
  }

  /** An operation called through a member ({@code collections.get(…)}) has no name. */
  @Test
  void operationsWithoutANameAreStoredAndRead() {
    String source = "collections.get('name');\nfn(s => s);\n";
    CompiledStep first = compile(cache("compiler-a"), source, FIXTURE);
    CompiledStep second = compile(cache("compiler-a"), source, FIXTURE);

    assertThat(first.operations()).extracting(CompiledStep.OperationRef::name).containsNull();
    assertThat(second.fromCache()).isTrue();
    assertThat(second.operations()).isEqualTo(first.operations());
  }

  @Test
  void anotherCompilerAdaptorVersionSourceOrGlobalsIsAMiss() {
    compile(cache("compiler-a"), SOURCE, FIXTURE);

    assertThat(compile(cache("compiler-b"), SOURCE, FIXTURE).fromCache()).as("another compiler").isFalse();
    assertThat(compile(cache("compiler-a"), SOURCE, "@openfn/language-fixture@2.0.0").fromCache())
        .as("another adaptor version").isFalse();
    assertThat(compile(cache("compiler-a"), SOURCE + " ", FIXTURE).fromCache()).as("another source").isFalse();
    PlanStep withGlobals = new PlanStep("step-1", "my step", SOURCE, List.of(FIXTURE), null, null,
        JsonNodeFactory.instance.objectNode(), List.of());
    assertThat(new JobStepCompiler(cache("compiler-a")).compile(withGlobals, Fixtures.repo(), Set.of("call"))
        .fromCache()).as("other ignored imports").isFalse();
    assertThat(compile(cache("compiler-a"), SOURCE, FIXTURE).fromCache()).as("the first again").isTrue();
  }

  @Test
  void theExportListsOfInstalledAdaptorsAreCached() throws IOException {
    CompileCache cache = cache("compiler-a");
    Path installed = Fixtures.repo().resolve("node_modules/@openfn/language-fixture_1.0.0");
    List<String> names = cache.exportsOf(installed);

    assertThat(names).contains("call", "fn", "x");
    assertThat(entries("exports-")).hasSize(1);
    assertThat(cache.exportsOf(installed)).isEqualTo(names);
    // the stored list is what is used: a cached list that differs shows through
    Path entry = entries("exports-").get(0);
    String key = entry.getFileName().toString();
    new CacheFolder(dir, 1 << 20, System.err).write(key, "onlyThis".getBytes(StandardCharsets.UTF_8));
    assertThat(cache.exportsOf(installed)).containsExactly("onlyThis");
  }

  @Test
  void aCorruptOrTruncatedEntryIsAMissAndIsReplaced() throws IOException {
    CompiledStep first = compile(cache("compiler-a"), SOURCE, FIXTURE);
    Path entry = entries("step-").get(0);
    byte[] bytes = Files.readAllBytes(entry);
    bytes[bytes.length - 10] ^= 1;
    Files.write(entry, bytes);

    CompiledStep afterFlip = compile(cache("compiler-a"), SOURCE, FIXTURE);
    assertThat(afterFlip.fromCache()).isFalse();
    assertThat(afterFlip.code()).isEqualTo(first.code());
    assertThat(diagnostics.toString()).contains("does not match its SHA-256");
    assertThat(compile(cache("compiler-a"), SOURCE, FIXTURE).fromCache()).as("rewritten").isTrue();

    Files.write(entry, java.util.Arrays.copyOf(Files.readAllBytes(entry), 40));
    assertThat(compile(cache("compiler-a"), SOURCE, FIXTURE).fromCache()).as("truncated").isFalse();
    Files.writeString(entry, "not an entry at all");
    assertThat(compile(cache("compiler-a"), SOURCE, FIXTURE).fromCache()).as("garbage").isFalse();
  }

  @Test
  void anEntryCopiedUnderAnotherKeyIsAMiss() throws IOException {
    compile(cache("compiler-a"), SOURCE, FIXTURE);
    Path original = entries("step-").get(0);
    compile(cache("compiler-a"), "fn(s => ({ other: true }));", FIXTURE);
    Path other = entries("step-").stream().filter(p -> !p.equals(original)).findFirst().orElseThrow();
    Files.copy(original, other, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    CompiledStep compiled = compile(cache("compiler-a"), "fn(s => ({ other: true }));", FIXTURE);
    assertThat(compiled.fromCache()).isFalse();
    assertThat(compiled.code()).contains("other: true");
  }

  @Test
  void aFolderThatCannotBeWrittenNeverFailsACompile() throws IOException {
    // tests may run as root, which writes anywhere: a path that is a file cannot be written into by anyone
    Path notAFolder = Files.writeString(dir.resolve("not-a-folder"), "");
    CompileCache cache = new CompileCache(
        new CacheFolder(notAFolder, 1 << 20, new PrintStream(diagnostics, true, StandardCharsets.UTF_8)), "compiler-a");

    CompiledStep compiled = compile(cache, SOURCE, FIXTURE);
    assertThat(compiled.fromCache()).isFalse();
    assertThat(compiled.code()).contains("@openfn/language-fixture");
    assertThat(compile(cache, SOURCE, FIXTURE).fromCache()).isFalse();
    assertThat(diagnostics.toString()).contains("could not store an entry");
  }

  @Test
  void theLeastRecentlyUsedEntriesAreEvictedBeyondTheLimit() throws IOException {
    CacheFolder folder = new CacheFolder(dir, 40_000, System.err);
    byte[] payload = new byte[6_000];
    for (int i = 0; i < 6; i++) {
      folder.write("entry-" + i, payload);
      Files.setLastModifiedTime(dir.resolve("entry-" + i), java.nio.file.attribute.FileTime.fromMillis(1_000_000L * (i + 1)));
    }
    assertThat(folder.read("entry-0")).as("used last, so kept").isNotNull();
    folder.write("entry-6", payload);

    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.mapToLong(f -> f.toFile().length()).sum()).isLessThanOrEqualTo(30_000);
    }
    assertThat(folder.read("entry-0")).isNotNull();
    assertThat(folder.read("entry-6")).isNotNull();
    assertThat(folder.read("entry-1")).as("the oldest").isNull();
  }

  @Test
  void anEntryOverAQuarterOfTheLimitIsNotStored() throws IOException {
    CacheFolder folder = new CacheFolder(dir, 40_000, System.err);
    folder.write("big", new byte[10_001]);
    assertThat(entries("big")).isEmpty();
  }

  @Test
  void theCompilerFingerprintIsTheHashOfItsCode(@TempDir Path classes) throws IOException {
    Files.writeString(classes.resolve("A.class"), "one");
    String before = CompilerFingerprint.of(classes);
    Files.writeString(classes.resolve("A.class"), "two");
    assertThat(CompilerFingerprint.of(classes)).isNotEqualTo(before).hasSize(64);
    assertThat(CompilerFingerprint.current()).hasSize(64);
  }

  @Test
  void thePreparedCompilerUsesTheFolderTheEngineNamed() {
    String before = System.getProperty(CompileCache.DIR_PROPERTY);
    System.setProperty(CompileCache.DIR_PROPERTY, dir.toString());
    try {
      PlanStep step = new PlanStep("step-1", null, SOURCE, List.of(FIXTURE), null, null,
          JsonNodeFactory.instance.objectNode(), List.of());
      assertThat(JobStepCompiler.prepared().compile(step, Fixtures.repo(), Set.of()).fromCache()).isFalse();
      assertThat(JobStepCompiler.prepared().compile(step, Fixtures.repo(), Set.of()).fromCache()).isTrue();
    } finally {
      if (before == null) {
        System.clearProperty(CompileCache.DIR_PROPERTY);
      } else {
        System.setProperty(CompileCache.DIR_PROPERTY, before);
      }
    }
  }
}
