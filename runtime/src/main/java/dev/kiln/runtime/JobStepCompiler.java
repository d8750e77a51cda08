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
 * that adaptor exports (read from its installed package, as the reference does).
 */
final class JobStepCompiler implements StepCompiler {

  @Override
  public CompiledStep compile(PlanStep step, Path repoDir, Set<String> globals) {
    // The reference engine compiles with the step name only, so steps without a name lose pos.src;
    // Kiln uses the name, else the id, which is also what the source map lookup uses.
    CompileOptions options = CompileOptions.named(step.displayName()).withIgnoredImports(globals);
    for (String specifier : step.adaptors()) {
      AdaptorSpecifier adaptor = AdaptorSpecifier.parse(specifier);
      options = options.withAdaptor(new AdaptorImports(adaptor.name(), exportsOf(step, adaptor, repoDir), true));
    }
    try {
      CompiledJob job = JobCompiler.compile(step.expression(), options);
      return new CompiledStep(
          job.code(),
          job.sourceMapJson(),
          job.operations().stream().map(o -> new CompiledStep.OperationRef(o.name(), o.line())).toList());
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

  /** The adaptor's export names, or an empty list (unknown) when it is not installed where we look. */
  private static List<String> exportsOf(PlanStep step, AdaptorSpecifier adaptor, Path repoDir) {
    Path root = null;
    String linkedPath = step.linker().path(adaptor.name()).path("path").asText(null);
    if (linkedPath != null) {
      root = Path.of(linkedPath);
    } else if (repoDir != null && adaptor.version() != null) {
      root = repoDir.resolve("node_modules").resolve(adaptor.alias());
    }
    if (root == null || !Files.isDirectory(root)) {
      return List.of();
    }
    try {
      return AdaptorExports.fromPackage(root);
    } catch (RuntimeException e) {
      return List.of();
    }
  }
}
