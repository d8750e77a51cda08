package dev.kiln.compiler;

/** Compiles OpenFn job code to an ES module the runtime can load. */
public final class JobCompiler {
  private JobCompiler() {}

  /** Compiles OpenFn job code to an ES module. Throws CompileError on bad input. */
  public static CompiledJob compile(String source, CompileOptions options) {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
