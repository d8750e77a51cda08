package dev.kiln.runtime;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Paths of the fixture adaptor repo and modules in src/test/resources. */
final class Fixtures {
  private Fixtures() {}

  static Path repo() {
    return resource("/repo");
  }

  static Path module(String name) {
    return resource("/modules/" + name);
  }

  /** Copies the fixture repo into {@code to} (tests that write indexes into it). */
  static void copyRepo(Path to) throws IOException {
    Path source = repo();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path from : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(source.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(target);
        } else {
          Files.copy(from, target);
        }
      }
    }
  }

  private static Path resource(String name) {
    try {
      return Path.of(Fixtures.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
