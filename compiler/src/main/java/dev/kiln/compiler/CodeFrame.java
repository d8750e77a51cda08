package dev.kiln.compiler;

import dev.kiln.compiler.ast.LineTable;

/**
 * A few source lines around a position with a caret under the column, Babel style:
 *
 * <pre>
 *   1 | fn();
 * > 2 | fn(})
 *     |    ^
 * </pre>
 *
 * Long lines (minified code) are cut to a window around the column.
 */
final class CodeFrame {
  private static final int CONTEXT_LINES = 2;
  private static final int WINDOW = 60;

  private CodeFrame() {}

  /** The frame for 1-based {@code line}, 0-based {@code column}. */
  static String of(String source, LineTable lines, int line, int column) {
    if (line < 1 || line > lines.lineCount()) {
      return "";
    }
    int first = Math.max(1, line - CONTEXT_LINES);
    int last = Math.min(lines.lineCount(), line + 1);
    if (last > line && lineText(source, lines, last).isBlank()) {
      last = line;
    }
    int gutter = String.valueOf(last).length();
    int windowStart = Math.max(0, column - WINDOW);
    StringBuilder out = new StringBuilder();
    for (int l = first; l <= last; l++) {
      String text = lineText(source, lines, l);
      String shown = window(text, windowStart);
      out.append(l == line ? "> " : "  ")
          .append(" ".repeat(gutter - String.valueOf(l).length()))
          .append(l)
          .append(" | ")
          .append(shown)
          .append('\n');
      if (l == line) {
        out.append("  ").append(" ".repeat(gutter)).append(" | ");
        String before = windowStart > 0 ? "..." : "";
        int caretIndex = before.length() + Math.max(0, Math.min(column, text.length()) - windowStart);
        String prefix = (before + text.substring(windowStart, Math.min(text.length(), Math.max(windowStart, column))));
        for (int i = 0; i < caretIndex; i++) {
          out.append(i < prefix.length() && prefix.charAt(i) == '\t' ? '\t' : ' ');
        }
        out.append("^\n");
      }
    }
    return out.toString();
  }

  private static String window(String text, int windowStart) {
    if (text.length() <= 2 * WINDOW && windowStart == 0) {
      return text;
    }
    int from = Math.min(windowStart, text.length());
    int to = Math.min(text.length(), from + 2 * WINDOW);
    return (from > 0 ? "..." : "") + text.substring(from, to) + (to < text.length() ? "..." : "");
  }

  private static String lineText(String source, LineTable lines, int line) {
    int start = lines.lineStart(line);
    int end = line < lines.lineCount() ? lines.lineStart(line + 1) : source.length();
    while (end > start && (source.charAt(end - 1) == '\n' || source.charAt(end - 1) == '\r'
        || source.charAt(end - 1) == '\u2028' || source.charAt(end - 1) == '\u2029')) {
      end--;
    }
    return source.substring(start, end);
  }
}
