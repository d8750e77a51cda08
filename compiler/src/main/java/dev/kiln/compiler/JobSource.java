package dev.kiln.compiler;

import java.nio.file.Path;

/** Reads job files. */
public final class JobSource {
  private JobSource() {}

  /** Reads a job file as strict UTF-8; invalid bytes give a CompileError naming the line. */
  public static String read(Path file) {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
