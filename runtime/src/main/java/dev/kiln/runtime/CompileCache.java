package dev.kiln.runtime;

import dev.kiln.compiler.AdaptorExports;
import dev.kiln.compiler.AdaptorImports;
import dev.kiln.compiler.CompileOptions;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Compiled steps, and the export lists of installed adaptors, kept on disk between run processes
 * ({@link CacheFolder}). A compiled step is stored under the SHA-256 of everything its compilation
 * read: the compiler's code ({@link CompilerFingerprint}), this format's version, the step name
 * (it is in the source map and the error positions), the names never to import (workflow
 * globals), each adaptor's specifier ({@code name@version}), name and export list, and the source. An export list is stored under
 * the installed adaptor's folder and the SHA-256 of its {@code package.json}.
 *
 * <p>Only this Java code writes entries, while compiling, before any code of the run executes;
 * the folder is outside everything Node may read or write, so job and adaptor code can neither
 * read another workflow's compiled code nor plant one.
 */
final class CompileCache {
  /** System property naming the cache folder; unset: no cache. The engine sets it. */
  static final String DIR_PROPERTY = "kiln.compile.cache";
  /** System property: the folder's size limit in MB (default 256). */
  static final String MAX_MB_PROPERTY = "kiln.compile.cache.maxMb";
  private static final long DEFAULT_MAX_MB = 256;
  /** Bumped whenever what is stored, or how a compiled job becomes a {@link CompiledStep}, changes. */
  private static final String FORMAT = "kiln compiled step 2";

  private final CacheFolder folder;
  private final String compilerFingerprint;

  CompileCache(CacheFolder folder, String compilerFingerprint) {
    this.folder = folder;
    this.compilerFingerprint = compilerFingerprint;
  }

  /**
   * The cache the engine configured with {@code -Dkiln.compile.cache=<folder>}, or null: no
   * property, no such folder, or the compiler's code cannot be fingerprinted.
   */
  static CompileCache fromSystemProperties(PrintStream diagnostics) {
    String dir = System.getProperty(DIR_PROPERTY);
    if (dir == null || dir.isBlank() || !Files.isDirectory(Path.of(dir))) {
      return null;
    }
    String fingerprint = CompilerFingerprint.current();
    if (fingerprint == null) {
      diagnostics.println("kiln compile cache: the compiler's code cannot be read to fingerprint it; no cache");
      return null;
    }
    long maxMb = Long.getLong(MAX_MB_PROPERTY, DEFAULT_MAX_MB);
    return new CompileCache(new CacheFolder(Path.of(dir), maxMb << 20, diagnostics), fingerprint);
  }

  /**
   * The key of a step compiled with these options from this source, for these adaptor specifiers
   * ({@code name@version}: the compiled code depends only on their export lists, but a new
   * version is a miss all the same, so an entry never outlives what it was made for).
   */
  String stepKey(CompileOptions options, List<String> adaptorSpecifiers, String source) {
    MessageDigest sha = CacheFolder.sha256();
    update(sha, FORMAT);
    update(sha, compilerFingerprint);
    updateAll(sha, adaptorSpecifiers);
    update(sha, options.name());
    List<String> ignored = new ArrayList<>(options.ignoredImports());
    ignored.sort(null);
    updateAll(sha, ignored);
    sha.update(ByteBuffer.allocate(4).putInt(0, options.adaptors().size()));
    for (AdaptorImports adaptor : options.adaptors()) {
      update(sha, adaptor.name());
      sha.update((byte) (adaptor.exportAll() ? 1 : 0));
      updateAll(sha, adaptor.exports());
    }
    update(sha, source);
    return "step-" + HexFormat.of().formatHex(sha.digest());
  }

  /** The step stored under {@code key}, marked as coming from the cache, or null. */
  CompiledStep readStep(String key) {
    ByteBuffer entry = folder.read(key);
    if (entry == null) {
      return null;
    }
    try {
      String code = string(entry);
      String sourceMap = nullableString(entry);
      int count = entry.getInt();
      List<CompiledStep.OperationRef> operations = new ArrayList<>(Math.min(count, 1024));
      for (int i = 0; i < count; i++) {
        // an operation called through a member (collections.get(…)) has no name
        operations.add(new CompiledStep.OperationRef(nullableString(entry), entry.getInt()));
      }
      if (code == null || entry.hasRemaining()) {
        return null;
      }
      return new CompiledStep(code, sourceMap, List.copyOf(operations), true);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      return null; // an entry with a good checksum but another layout: a miss
    }
  }

  void writeStep(String key, CompiledStep step) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(step.code().length() + 1024);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      write(out, step.code());
      writeNullable(out, step.sourceMapJson());
      out.writeInt(step.operations().size());
      for (CompiledStep.OperationRef operation : step.operations()) {
        writeNullable(out, operation.name());
        out.writeInt(operation.line());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    folder.write(key, bytes.toByteArray());
  }

  /**
   * The export names of the adaptor installed in {@code packageRoot} (an installed version: its
   * content never changes), read from the cache or else from its type definitions and stored.
   */
  List<String> exportsOf(Path packageRoot) {
    byte[] manifest;
    try {
      manifest = Files.readAllBytes(packageRoot.resolve("package.json"));
    } catch (IOException e) {
      return AdaptorExports.fromPackage(packageRoot); // reports the problem as it always did
    }
    MessageDigest sha = CacheFolder.sha256();
    update(sha, FORMAT);
    update(sha, compilerFingerprint);
    update(sha, packageRoot.toAbsolutePath().normalize().toString());
    sha.update(manifest);
    String key = "exports-" + HexFormat.of().formatHex(sha.digest());
    ByteBuffer entry = folder.read(key);
    if (entry != null) {
      String names = StandardCharsets.UTF_8.decode(entry).toString();
      return names.isEmpty() ? List.of() : Arrays.asList(names.split("\n"));
    }
    List<String> names = AdaptorExports.fromPackage(packageRoot);
    folder.write(key, String.join("\n", names).getBytes(StandardCharsets.UTF_8));
    return names;
  }

  private static void update(MessageDigest sha, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    sha.update(ByteBuffer.allocate(4).putInt(0, bytes.length));
    sha.update(bytes);
  }

  private static void updateAll(MessageDigest sha, List<String> texts) {
    sha.update(ByteBuffer.allocate(4).putInt(0, texts.size()));
    texts.forEach(t -> update(sha, t));
  }

  private static void write(DataOutputStream out, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static void writeNullable(DataOutputStream out, String text) throws IOException {
    out.writeByte(text == null ? 0 : 1);
    if (text != null) {
      write(out, text);
    }
  }

  private static String nullableString(ByteBuffer entry) {
    return entry.get() == 1 ? string(entry) : null;
  }

  private static String string(ByteBuffer entry) {
    int length = entry.getInt();
    if (length < 0 || length > entry.remaining()) {
      throw new IllegalArgumentException("a string runs past the entry");
    }
    String text = new String(entry.array(), entry.arrayOffset() + entry.position(), length, StandardCharsets.UTF_8);
    entry.position(entry.position() + length);
    return text;
  }
}
