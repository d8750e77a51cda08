package dev.kiln.runtime;

import dev.kiln.compiler.AdaptorExports;
import dev.kiln.compiler.AdaptorImports;
import dev.kiln.compiler.CompileError;
import dev.kiln.compiler.CompileOptions;
import dev.kiln.compiler.CompiledJob;
import dev.kiln.compiler.JobCompiler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Compiles job source with Kiln's compiler, importing from each of the step's adaptors the names
 * that adaptor exports (read from its installed package, as the reference does). With a {@link
 * CompileCache}, a step compiled before from the same source, options, adaptor exports and
 * compiler is taken from it, and installed adaptors' export lists are read from it.
 */
final class JobStepCompiler implements StepCompiler {
  private final CompileCache cache;

  /** The compiler with the cache the engine configured ({@code -Dkiln.compile.cache}), if any. */
  JobStepCompiler() {
    this(CompileCache.fromSystemProperties(System.err));
  }

  /**
   * As {@link #JobStepCompiler()}, made while a warm process waits for its run: the compiler's
   * fingerprint computed (it hashes the compiler's jar) and the cache's code loaded (SHA-256's
   * provider alone takes 25–45 ms the first time in a JVM). Made after the run frame instead,
   * those ~100 ms fall on the run's critical path (bench/cache).
   */
  static JobStepCompiler prepared() {
    JobStepCompiler compiler = new JobStepCompiler();
    if (compiler.cache != null) {
      compiler.cache.readStep(compiler.cache.stepKey(CompileOptions.named("warm-up"), List.of(), ""));
    }
    return compiler;
  }

  /** @param cache the compile cache, or null for none */
  JobStepCompiler(CompileCache cache) {
    this.cache = cache;
  }

  @Override
  public CompiledStep compile(PlanStep step, Path repoDir, Set<String> globals) {
    // The reference engine compiles with the step name only, so steps without a name lose pos.src;
    // Kiln uses the name, else the id, which is also what the source map lookup uses.
    CompileOptions options = CompileOptions.named(step.displayName()).withIgnoredImports(globals);
    for (String specifier : step.adaptors()) {
      AdaptorSpecifier adaptor = AdaptorSpecifier.parse(specifier);
      options = options.withAdaptor(new AdaptorImports(adaptor.name(), exportsOf(step, adaptor, repoDir), true));
    }
    String key = cache == null ? null : cache.stepKey(options, step.adaptors(), step.expression());
    CompiledStep cached = key == null ? null : cache.readStep(key);
    if (cached != null) {
      return cached;
    }
    try {
      CompiledJob job = JobCompiler.compile(step.expression(), options);
      CompiledStep compiled = new CompiledStep(
          job.code(),
          job.sourceMapJson(),
          job.operations().stream().map(o -> new CompiledStep.OperationRef(o.name(), o.line())).toList());
      if (key != null) {
        try {
          cache.writeStep(key, compiled);
        } catch (RuntimeException e) {
          System.err.println("kiln: the compile cache could not store step " + step.displayName() + ": " + e);
        }
      }
      return compiled;
    } catch (CompileError e) {
      String detail = e.codeFrame().isEmpty() ? null : e.codeFrame();
      if (e.details() != null) {
        detail = (detail == null ? "" : detail + "\n") + e.details();
      }
      throw new RunFailureException(
          "CompileError", step.displayName() + ": " + e.getMessage(), "crash", step.id(), detail);
    } catch (RuntimeException e) {
      throw new RunFailureException(
          "CompileError", step.displayName() + ": the compiler failed: " + e, "crash", step.id());
    }
  }

  /**
   * The adaptor's export names, or an empty list (unknown) when it is not installed where we look.
   * Only an installed version's list is cached: a linked folder ({@code linker} path, {@code
   * @local}) may change under the same {@code package.json}.
   */
  private List<String> exportsOf(PlanStep step, AdaptorSpecifier adaptor, Path repoDir) {
    Path root = null;
    boolean installed = false;
    String linkedPath = step.linker().path(adaptor.name()).path("path").asText(null);
    if (linkedPath != null) {
      root = Path.of(linkedPath);
    } else if (repoDir != null && adaptor.version() != null) {
      root = repoDir.resolve("node_modules").resolve(adaptor.alias());
      installed = true;
    }
    if (root == null || !Files.isDirectory(root)) {
      return List.of();
    }
    try {
      return installed && cache != null ? cache.exportsOf(root) : AdaptorExports.fromPackage(root);
    } catch (RuntimeException e) {
      return List.of();
    }
  }
}
