package dev.kiln.compiler;

import dev.kiln.compiler.ast.LineTable;
import java.nio.file.Path;

/**
 * The compile benchmark's forked JVM (see {@code bench/compile/run.sh}).
 *
 * <ul>
 *   <li>{@code generate <out.js> <megabytes> pretty|min}: writes a mapping job;
 *   <li>{@code time <job.js> <repeats>}: prints {@code <compile-ms> <baseline-ms>}, the best of
 *       {@code repeats} runs each of: read + compile; and the baseline, read (strict UTF-8) + one
 *       scan of the text for line starts;
 *   <li>{@code once <job.js>}: reads and compiles once (exit 0), for the smallest-heap search.
 * </ul>
 */
final class CompileBenchMain {
  private CompileBenchMain() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "generate" -> MappingJob.write(Path.of(args[1]), Long.parseLong(args[2]) * 1024 * 1024, args[3].equals("pretty"));
      case "time" -> time(Path.of(args[1]), Integer.parseInt(args[2]));
      case "once" -> {
        CompiledJob job = JobCompiler.compile(JobSource.read(Path.of(args[1])), CompileOptions.named("src"));
        if (job.code().isEmpty()) {
          System.exit(2);
        }
      }
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void time(Path file, int repeats) {
    JobCompiler.compile("fn(state => state);", CompileOptions.named("warmup"));
    long bestCompile = Long.MAX_VALUE;
    long bestBaseline = Long.MAX_VALUE;
    for (int i = 0; i < repeats; i++) {
      long t0 = System.nanoTime();
      String source = JobSource.read(file);
      int lines = LineTable.of(source).lineCount();
      long t1 = System.nanoTime();
      CompiledJob job = JobCompiler.compile(JobSource.read(file), CompileOptions.named("src"));
      long t2 = System.nanoTime();
      if (lines < 1 || job.code().isEmpty()) {
        throw new IllegalStateException("nothing compiled");
      }
      bestBaseline = Math.min(bestBaseline, t1 - t0);
      bestCompile = Math.min(bestCompile, t2 - t1);
    }
    System.out.printf("%.1f %.1f%n", bestCompile / 1e6, bestBaseline / 1e6);
  }
}
