package dev.kiln.compiler;

import dev.kiln.compiler.ast.LineTable;
import dev.kiln.compiler.ast.Program;
import dev.kiln.compiler.parse.JsSyntaxError;
import dev.kiln.compiler.parse.Parser;
import dev.kiln.compiler.sourcemap.SourceMapJson;
import dev.kiln.compiler.transform.JobTransforms;
import dev.kiln.compiler.transform.TransformError;
import java.util.List;
import java.util.Objects;

/**
 * Compiles OpenFn job code to an ES module the runtime can load: parses once, runs the OpenFn
 * transforms as edits to spans of the original text (untouched code, such as a large literal, is
 * copied verbatim and never re-printed), and writes a v3 source map with the operations.
 */
public final class JobCompiler {
  /**
   * The parser and the tree walks recurse once per nesting level, up to the parser's limit of
   * 5000 levels; the stack of a compile thread is reserved this large (committed only as used).
   */
  private static final long STACK_BYTES = 512L << 20;

  private JobCompiler() {}

  /**
   * Compiles OpenFn job code to an ES module. Throws CompileError on bad input. Runs on a
   * short-lived thread with a large stack, so deeply nested code cannot overflow the caller's.
   */
  public static CompiledJob compile(String source, CompileOptions options) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(options, "options");
    CompiledJob[] result = new CompiledJob[1];
    Throwable[] failure = new Throwable[1];
    Thread worker =
        new Thread(
            null,
            () -> {
              try {
                result[0] = compileHere(source, options);
              } catch (Throwable t) {
                failure[0] = t;
              }
            },
            "kiln-compile",
            STACK_BYTES);
    worker.start();
    boolean interrupted = false;
    while (true) {
      try {
        worker.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the compile cannot be cancelled: wait for it, keep the flag
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    switch (failure[0]) {
      case null -> {
        return result[0];
      }
      case StackOverflowError e ->
          throw new CompileError(
              "Job code is nested too deeply to compile (1:0)", 1, 0, "", "Split deeply nested expressions into smaller parts.");
      case RuntimeException e -> throw e;
      case Error e -> throw e;
      default -> throw new IllegalStateException(failure[0]);
    }
  }

  private static CompiledJob compileHere(String source, CompileOptions options) {
    JobTransforms.Output output = transform(source, options);
    List<Operation> operations =
        output.operations().stream().map(o -> new Operation(o.name(), o.line(), o.order())).toList();
    // The map first: its buffers are gone before the code's buffer is allocated.
    String map =
        SourceMapJson.write(
            options.name(),
            output.mappings().mappings(),
            source,
            operations.stream().map(o -> new SourceMapJson.OperationEntry(o.name(), o.line(), o.order())).toList());
    return new CompiledJob(output.code(), map, operations);
  }

  private static JobTransforms.Output transform(String source, CompileOptions options) {
    Program program = parse(source);
    try {
      return JobTransforms.apply(source, program, options.adaptors(), options.ignoredImports());
    } catch (TransformError e) {
      int line = program.line(e.offset());
      int column = program.column(e.offset());
      throw new CompileError(
          e.getMessage() + " (" + line + ":" + column + ")",
          line,
          column,
          CodeFrame.of(source, program.lines(), line, column),
          e.details());
    }
  }

  private static Program parse(String source) {
    try {
      return Parser.parseModule(source);
    } catch (JsSyntaxError e) {
      LineTable lines = LineTable.of(source);
      throw new CompileError(
          e.getMessage(), e.line(), e.column(), CodeFrame.of(source, lines, e.line(), e.column()), null);
    }
  }
}
