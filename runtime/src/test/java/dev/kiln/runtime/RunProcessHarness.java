package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.runtime.protocol.Frame;
import dev.kiln.runtime.protocol.FrameReader;
import dev.kiln.runtime.protocol.FrameType;
import dev.kiln.runtime.protocol.FrameWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts a real run process ({@link RunProcessMain}) with this JVM's classpath and collects its frames. */
final class RunProcessHarness {
  private RunProcessHarness() {}

  record Result(Frame ready, RunFrames run, int exitCode, String stderr) {}

  static Process start(int memoryMb, Path stderrFile) throws IOException {
    return start(memoryMb, stderrFile, JavetLibrary.cacheDir());
  }

  /** Starts a run process that keeps Javet's native library in {@code javetCache}. */
  static Process start(int memoryMb, Path stderrFile, Path javetCache) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(
        java, "-Xmx" + memoryMb + "m", "-XX:+DisplayVMOutputToStderr", "--enable-native-access=ALL-UNNAMED",
        "-Dkiln.javet.cache=" + javetCache,
        "-cp", System.getProperty("java.class.path"),
        "dev.kiln.runtime.RunProcessMain", "--memory-mb", Integer.toString(memoryMb));
    builder.redirectError(stderrFile.toFile());
    return builder.start();
  }

  /** Starts a process, waits for ready, sends the run frame, reads frames until the process exits. */
  static Result run(int memoryMb, String runMetaJson, String input) throws Exception {
    Path stderrFile = Files.createTempFile("kiln-run", ".stderr");
    Process process = start(memoryMb, stderrFile);
    try {
      FrameReader reader = new FrameReader(process.getInputStream());
      Frame ready = reader.read();
      assertThat(ready).as("ready frame; stderr: %s", Files.readString(stderrFile)).isNotNull();
      assertThat(ready.type()).isEqualTo(FrameType.READY);
      try (OutputStream stdin = process.getOutputStream()) {
        new FrameWriter(stdin).write(Frame.withBody(FrameType.RUN, runMetaJson, input));
      }
      List<Frame> frames = new ArrayList<>();
      for (Frame f = reader.read(); f != null; f = reader.read()) {
        frames.add(f);
      }
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process exits").isTrue();
      return new Result(ready, new RunFrames(frames), process.exitValue(), Files.readString(stderrFile));
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(stderrFile);
    }
  }
}
