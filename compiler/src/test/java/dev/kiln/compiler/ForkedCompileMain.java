package dev.kiln.compiler;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Compiles one job file in its own JVM (so a test or benchmark can bound its heap with
 * {@code -Xmx}) and writes the compiled code next to it as {@code <file>.out.js}.
 * Exit code 0 on success, 3 on OutOfMemoryError.
 *
 * <p>Usage: {@code ForkedCompileMain <job.js> [adaptor-name]}
 */
final class ForkedCompileMain {
  private ForkedCompileMain() {}

  public static void main(String[] args) throws Exception {
    Path job = Path.of(args[0]);
    try {
      CompileOptions options = CompileOptions.named("src");
      if (args.length > 1) {
        options = options.withAdaptor(new AdaptorImports(args[1], List.of(), true));
      }
      CompiledJob compiled = JobCompiler.compile(JobSource.read(job), options);
      Files.writeString(job.resolveSibling(job.getFileName() + ".out.js"), compiled.code());
      System.out.println("map-bytes " + compiled.sourceMapJson().length());
    } catch (OutOfMemoryError e) {
      System.err.println("OutOfMemoryError: " + e.getMessage());
      System.exit(3);
    }
  }
}
