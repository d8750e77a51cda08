package dev.kiln.compiler.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The large-literal fast path as a memory bound: a 30 MB mapping job (pretty-printed and
 * minified) parses in a JVM limited to 128 MB of heap, i.e. about 4x the source size including
 * the source itself and its generation. (The reference needs about 100-200x.)
 */
@Tag("integration")
class LargeLiteralParseTest {

  @Test
  void thirtyMegabyteMappingJobParsesIn128MbOfHeap() throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse(
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    Process process = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
        ParseLargeJobMain.class.getName(), "30000000")
        .redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
    System.out.print(output);
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("pretty   30.0 MB").contains("minified 30.0 MB").endsWith("OK\n");
  }
}
