package dev.kiln.runtime;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Paths of the fixture adaptor repo and modules in src/test/resources. */
final class Fixtures {
  private Fixtures() {}

  static Path repo() {
    return resource("/repo");
  }

  static Path module(String name) {
    return resource("/modules/" + name);
  }

  private static Path resource(String name) {
    try {
      return Path.of(Fixtures.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
