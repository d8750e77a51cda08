package dev.kiln.runtime;

import java.util.List;

/**
 * A step's expression as the host runs it.
 *
 * @param code an ES module whose default export is the array of operations
 * @param sourceMapJson the compiler's source map, or null (precompiled code has none)
 * @param operations the top-level operations {@code (name, line)} for adaptor-error attribution
 * @param fromCache true when it was read from the {@link CompileCache} instead of compiled
 */
record CompiledStep(String code, String sourceMapJson, List<OperationRef> operations, boolean fromCache) {

  CompiledStep(String code, String sourceMapJson, List<OperationRef> operations) {
    this(code, sourceMapJson, operations, false);
  }

  /** A top-level operation of the job source: the callee's name and its 1-based line. */
  record OperationRef(String name, int line) {}
}
