package dev.kiln.compiler.transform;

import dev.kiln.compiler.AdaptorImports;
import dev.kiln.compiler.ast.CallExpression;
import dev.kiln.compiler.ast.Identifier;
import dev.kiln.compiler.ast.LineTable;
import dev.kiln.compiler.ast.ImportDeclaration;
import dev.kiln.compiler.ast.ImportSpecifier;
import dev.kiln.compiler.ast.Node;
import dev.kiln.compiler.ast.Program;
import dev.kiln.compiler.scope.ScopeAnalysis;
import dev.kiln.compiler.sourcemap.MappingsBuilder;
import java.util.List;
import java.util.Set;

/**
 * Runs the OpenFn transforms in the reference's order (lazy-state, promises, ensure-exports,
 * top-level-operations, add-imports) as span edits on the original text, and renders the result.
 */
public final class JobTransforms {
  private JobTransforms() {}

  /** A top-level operation: callee name (or null), 1-based original line, 1-based order. */
  public record OperationInfo(String name, int line, int order) {}

  /** The edited job: render {@link #mappings()} first, then {@link #code()}, to keep the peak heap low. */
  public record Output(SpanEdits edits, LineTable lines, List<OperationInfo> operations) {
    public MappingsBuilder mappings() {
      return edits.mappings(lines);
    }

    public String code() {
      return edits.code(lines);
    }
  }

  /**
   * Transforms {@code program} (parsed from {@code source}).
   *
   * @throws TransformError for lazy-state misuse
   */
  public static Output apply(String source, Program program, List<AdaptorImports> adaptors, Set<String> ignoredImports) {
    SpanEdits edits = new SpanEdits(source);
    ScopeAnalysis scopes = ScopeAnalysis.of(program);
    Set<Identifier> renamed = LazyState.apply(program, edits, scopes);
    Set<CallExpression> deferred = Promises.apply(program, edits);

    int headerAt = source.startsWith("#!") ? lineEnd(source, 0) : 0;
    StringBuilder header = new StringBuilder();
    if (!adaptors.isEmpty()) {
      header.append(
          AddImports.print(AddImports.plan(adaptors, scopes.freeNames(renamed::contains), ignoredImports)));
    }
    if (!deferred.isEmpty() && !importsDefer(program)) {
      String deferImport = "import { defer as _defer } from \"@openfn/runtime\";";
      int leadingImports = 0;
      while (leadingImports < program.body().size() && program.body().get(leadingImports) instanceof ImportDeclaration) {
        leadingImports++;
      }
      if (leadingImports > 0) {
        edits.insert(
            program.body().get(leadingImports - 1).end(), 0, source.length(), new SpanEdits.Text("\n" + deferImport));
      } else {
        header.append(deferImport).append('\n');
      }
    }
    if (!header.isEmpty()) {
      String text = headerAt > 0 ? "\n" + header.substring(0, header.length() - 1) : header.toString();
      edits.insert(headerAt, 0, source.length(), new SpanEdits.Text(text));
    }
    List<TopLevelOperations.Found> found = TopLevelOperations.apply(program, edits, deferred);
    return new Output(
        edits,
        program.lines(),
        found.stream().map(f -> new OperationInfo(f.name(), f.line(), f.order())).toList());
  }

  private static int lineEnd(String source, int from) {
    int i = from;
    while (i < source.length() && source.charAt(i) != '\n' && source.charAt(i) != '\r') {
      i++;
    }
    return i;
  }

  /** Whether the module already imports {@code _defer} from {@code @openfn/runtime} (the reference accepted any import from it). */
  private static boolean importsDefer(Program program) {
    for (Node statement : program.body()) {
      if (statement instanceof ImportDeclaration i && "@openfn/runtime".equals(i.source().value())) {
        for (Node specifier : i.specifiers()) {
          if (specifier instanceof ImportSpecifier s && s.local().name().equals("_defer")) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
