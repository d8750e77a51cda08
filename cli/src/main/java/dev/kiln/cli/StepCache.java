package dev.kiln.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code --cache-steps}: each step's output in {@code <dir>/.cli-cache/<workflow>/<stepId>.json},
 * cleared when a run starts; {@code --start} without input state reads its upstream step's.
 */
final class StepCache {
  private final Path dir;

  StepCache(Path baseDir, String workflowName) {
    this.dir = baseDir.resolve(".cli-cache").resolve(workflowName);
  }

  void clear() throws IOException {
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
    Files.writeString(dir.getParent().resolve(".gitignore"), "*\n");
  }

  void write(String stepId, String state) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(stepId + ".json"), state == null ? "" : state);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Optional<String> read(String stepId) throws IOException {
    Path file = dir.resolve(stepId + ".json");
    return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
  }
}
