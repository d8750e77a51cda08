package dev.kiln.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.kiln.compiler.sourcemap.SourceMapPositions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 10 MB mapping job compiles in a JVM with a 96 MB heap, and its literal comes out byte for
 * byte (the reference needs gigabytes and tens of minutes for this, spec §4).
 */
@Tag("integration")
class LargeJobIntegrationTest {

  @Test
  void tenMegabyteMappingJobCompilesIn96MegabytesOfHeap(@TempDir Path dir) throws Exception {
    Path job = dir.resolve("mapping.js");
    MappingJob.write(job, 10L * 1024 * 1024, false);
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m",
                "-cp",
                System.getProperty("java.class.path"),
                ForkedCompileMain.class.getName(),
                job.toString(),
                "@openfn/language-common")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("log.txt").toFile())
            .start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("compile finished").isTrue();
    assertThat(process.exitValue()).as(Files.readString(dir.resolve("log.txt"))).isZero();

    String source = Files.readString(job);
    String code = Files.readString(dir.resolve("mapping.js.out.js"));
    assertThat(code).startsWith("import { fn } from \"@openfn/language-common\";\nexport * from \"@openfn/language-common\";\n");
    assertThat(code).contains("export default [fn(");
    assertThat(code).contains(MappingJob.literal(source));
    assertThat(code.length()).isLessThan(source.length() + 200);
  }

  @Test
  void prettyPrintedJobKeepsEveryLine(@TempDir Path dir) throws IOException {
    Path job = dir.resolve("mapping.js");
    MappingJob.write(job, 1024 * 1024, true);
    String source = JobSource.read(job);
    CompiledJob compiled = JobCompiler.compile(source, CompileOptions.named("src"));
    assertThat(compiled.code()).isEqualTo("export default [" + source.substring(0, source.lastIndexOf(';')) + "];\n");
    assertThat(compiled.operations()).containsExactly(new Operation("fn", 1, 1));
    SourceMapPositions map = SourceMapPositions.of(compiled.sourceMapJson());
    String[] lines = compiled.code().split("\n");
    assertThat(map.original(1, "export default [".length())).isEqualTo(new SourceMapPositions.Position(1, 0));
    for (int line = 2; line <= lines.length; line++) {
      assertThat(map.original(line, 0)).isEqualTo(new SourceMapPositions.Position(line, 0));
    }
  }
}
