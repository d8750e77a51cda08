package dev.kiln.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.compiler.ast.Node;
import dev.kiln.compiler.ast.Program;
import dev.kiln.compiler.ast.PureLiteral;
import dev.kiln.compiler.parse.Parser;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Set;

/**
 * Compares JavaScript modules as trees: both are parsed with Kiln's parser and printed as a
 * normalised tree without positions, raw text, comments or formatting (parentheses vanish in
 * ESTree). A {@link PureLiteral} is compared by its text without whitespace.
 */
final class JsEquivalence {
  private static final Set<String> IGNORED = Set.of("start", "end", "raw", "lines", "comments");

  private JsEquivalence() {}

  static void assertEquivalent(String actual, String expected) {
    assertThat(normalise(actual))
        .as("compiled code:%n%s%nexpected (equivalent to):%n%s", actual, expected)
        .isEqualTo(normalise(expected));
  }

  static String normalise(String code) {
    Program program = Parser.parseModule(code);
    StringBuilder out = new StringBuilder();
    print(program, code, out, 0);
    return out.toString();
  }

  private static void print(Object value, String source, StringBuilder out, int depth) {
    if (value instanceof PureLiteral literal) {
      out.append("PureLiteral(").append(source.substring(literal.start(), literal.end()).replaceAll("\\s+", "")).append(')');
    } else if (value instanceof Node node) {
      out.append(node.type()).append('(');
      boolean first = true;
      for (RecordComponent component : node.getClass().getRecordComponents()) {
        if (IGNORED.contains(component.getName())) {
          continue;
        }
        out.append(first ? "" : ", ").append(component.getName()).append('=');
        first = false;
        try {
          print(component.getAccessor().invoke(node), source, out, depth + 1);
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
      out.append(')');
    } else if (value instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        out.append(i == 0 ? "\n" : ",\n").append("  ".repeat(depth + 1));
        print(list.get(i), source, out, depth + 1);
      }
      out.append(']');
    } else if (value instanceof Record record) {
      out.append(record);
    } else {
      out.append(value);
    }
  }
}
