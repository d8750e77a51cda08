package dev.kiln.compiler;

import java.nio.file.Path;
import java.util.List;

/** Reads the names an installed adaptor package exports. */
public final class AdaptorExports {
  private AdaptorExports() {}

  /** The names an installed adaptor package exports, read from its type declarations as the reference does. */
  public static List<String> fromPackage(Path packageRoot) {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
