package dev.kiln.compiler;

import java.util.List;

/**
 * A compiled job.
 *
 * @param code the ES module: {@code export default [operations...]}
 * @param sourceMapJson a v3 source map with an extra {@code operations} array
 * @param operations the top-level operations, in the order of the default export
 */
public record CompiledJob(String code, String sourceMapJson, List<Operation> operations) {
  public CompiledJob {
    operations = List.copyOf(operations);
  }
}
