package dev.kiln.compiler;

import dev.kiln.compiler.ast.LineTable;
import dev.kiln.compiler.ast.Program;
import dev.kiln.compiler.parse.JsSyntaxError;
import dev.kiln.compiler.parse.Parser;
import dev.kiln.compiler.sourcemap.SourceMapJson;
import dev.kiln.compiler.transform.JobTransforms;
import dev.kiln.compiler.transform.TransformError;
import java.util.List;

/**
 * Compiles OpenFn job code to an ES module the runtime can load: parses once, runs the OpenFn
 * transforms as edits to spans of the original text (untouched code, such as a large literal, is
 * copied verbatim and never re-printed), and writes a v3 source map with the operations.
 */
public final class JobCompiler {
  private JobCompiler() {}

  /** Compiles OpenFn job code to an ES module. Throws CompileError on bad input. */
  public static CompiledJob compile(String source, CompileOptions options) {
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
    } catch (StackOverflowError e) {
      throw new CompileError(
          "Job code is nested too deeply to compile (1:0)", 1, 0, "", "Split deeply nested expressions into smaller parts.");
    }
  }
}
