package dev.kiln.compiler.transform;

import dev.kiln.compiler.ast.*;
import dev.kiln.compiler.transform.SpanEdits.Range;
import dev.kiln.compiler.transform.SpanEdits.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * ensure-exports and top-level-operations (spec §2.3, §2.4): every top-level {@code call();}
 * statement becomes an element of {@code export default [...]}, the last statement.
 *
 * <p>By span edits: operations after the last other statement stay where they are and are joined
 * into the array in place (so their lines do not move); earlier ones are moved to the front of
 * that array. A module that already has a default export is left alone, except that operations
 * are appended to a final {@code export default [...]} array as the reference does.
 */
final class TopLevelOperations {
  /** An operation as reported in the source map. */
  record Found(String name, int line, int order) {}

  private TopLevelOperations() {}

  static List<Found> apply(Program program, SpanEdits edits, Set<CallExpression> deferred) {
    String source = edits.source();
    List<Node> body = program.body();
    boolean hasDefaultExport = body.stream().anyMatch(s -> s instanceof ExportDefaultDeclaration);
    List<ExpressionStatement> operations = new ArrayList<>();
    int lastOther = -1;
    for (int i = 0; i < body.size(); i++) {
      if (body.get(i) instanceof ExpressionStatement s && s.expression() instanceof CallExpression) {
        operations.add(s);
      } else {
        lastOther = i;
      }
    }
    List<Found> found = new ArrayList<>();
    if (hasDefaultExport) {
      if (!(body.getLast() instanceof ExportDefaultDeclaration last)
          || !isArray(last.declaration())
          || operations.isEmpty()) {
        return found;
      }
      Node array = last.declaration();
      List<SpanEdits.Piece> pieces = new ArrayList<>();
      pieces.add(new Text(needsLeadingComma(source, array) ? ", " : arrayIsEmpty(source, array) ? "" : " "));
      joinMoved(operations, pieces, edits, source);
      edits.insert(array.end() - 1, array.start(), array.end(), pieces.toArray(SpanEdits.Piece[]::new));
    } else if (operations.isEmpty()) {
      int at = body.isEmpty() ? source.length() : body.getLast().end();
      boolean newline = at > 0 && !(body.isEmpty() && endsWithLineBreak(source));
      edits.insert(at, 0, source.length(), new Text((newline ? "\n" : "") + "export default [];"));
    } else {
      List<ExpressionStatement> moved = new ArrayList<>();
      List<ExpressionStatement> inPlace = new ArrayList<>();
      for (int i = 0; i < body.size(); i++) {
        if (body.get(i) instanceof ExpressionStatement s && s.expression() instanceof CallExpression) {
          (i < lastOther ? moved : inPlace).add(s);
        }
      }
      List<SpanEdits.Piece> opening = new ArrayList<>();
      opening.add(new Text(inPlace.isEmpty() ? "\nexport default [" : "export default ["));
      joinMoved(moved, opening, edits, source);
      if (inPlace.isEmpty()) {
        opening.add(new Text("];"));
        edits.insert(body.get(lastOther).end(), 0, source.length(), opening.toArray(SpanEdits.Piece[]::new));
      } else {
        if (!moved.isEmpty()) {
          opening.add(new Text(", "));
        }
        edits.insert(
            inPlace.getFirst().start(), inPlace.getFirst().start(), inPlace.getLast().end(), opening.toArray(SpanEdits.Piece[]::new));
        for (int i = 0; i < inPlace.size(); i++) {
          ExpressionStatement op = inPlace.get(i);
          int elementEnd = elementEnd(source, op);
          String closing = i == inPlace.size() - 1 ? "];" : ",";
          if (elementEnd < op.end()) {
            edits.replace(elementEnd, op.end(), new Text(closing));
          } else {
            edits.after(op.start(), op.end(), closing);
          }
        }
      }
    }
    for (ExpressionStatement op : operations) {
      CallExpression call = (CallExpression) op.expression();
      String name =
          deferred.contains(call) ? "_defer" : call.callee() instanceof Identifier id ? id.name() : null;
      found.add(new Found(name, program.line(call.start()), found.size() + 1));
    }
    return found;
  }

  /** Deletes each operation statement and appends its text (with inner edits) to {@code pieces}, comma separated. */
  private static void joinMoved(
      List<ExpressionStatement> operations, List<SpanEdits.Piece> pieces, SpanEdits edits, String source) {
    for (int i = 0; i < operations.size(); i++) {
      ExpressionStatement op = operations.get(i);
      if (i > 0) {
        pieces.add(new Text(", "));
      }
      pieces.add(new Range(op.start(), elementEnd(source, op)));
      edits.move(op.start(), op.end());
    }
  }

  /** The end of the statement's expression text (parentheses and comments included), without its semicolon. */
  private static int elementEnd(String source, ExpressionStatement op) {
    return source.charAt(op.end() - 1) == ';' ? op.end() - 1 : op.end();
  }

  private static boolean isArray(Node node) {
    return node instanceof ArrayExpression
        || (node instanceof PureLiteral literal && literal.kind() == PureLiteral.Kind.ARRAY);
  }

  private static boolean arrayIsEmpty(String source, Node array) {
    return source.substring(array.start() + 1, array.end() - 1).isBlank();
  }

  private static boolean needsLeadingComma(String source, Node array) {
    int i = array.end() - 2;
    while (i > array.start() && Character.isWhitespace(source.charAt(i))) {
      i--;
    }
    return i > array.start() && source.charAt(i) != ',';
  }

  private static boolean endsWithLineBreak(String source) {
    return source.isEmpty() || source.endsWith("\n") || source.endsWith("\r");
  }
}
