package dev.kiln.compiler.ast;

import java.util.Arrays;

/**
 * Maps source offsets to 1-based lines and 0-based columns (UTF-16 units), as acorn does: line
 * terminators are LF, CR, CRLF, U+2028 and U+2029. Keeps only the offset where each line starts.
 */
public final class LineTable {
  private final int[] lineStarts;

  private LineTable(int[] lineStarts) {
    this.lineStarts = lineStarts;
  }

  /** Scans {@code source} once for line terminators. */
  public static LineTable of(CharSequence source) {
    int[] starts = new int[16];
    int count = 1;
    int length = source.length();
    for (int i = 0; i < length; i++) {
      char c = source.charAt(i);
      if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029') {
        if (c == '\r' && i + 1 < length && source.charAt(i + 1) == '\n') {
          i++;
        }
        if (count == starts.length) {
          starts = Arrays.copyOf(starts, count * 2);
        }
        starts[count++] = i + 1;
      }
    }
    return new LineTable(Arrays.copyOf(starts, count));
  }

  /** 1-based line containing {@code offset}. */
  public int line(int offset) {
    int index = Arrays.binarySearch(lineStarts, offset);
    return index >= 0 ? index + 1 : -index - 1;
  }

  /** 0-based column of {@code offset} within its line. */
  public int column(int offset) {
    return offset - lineStarts[line(offset) - 1];
  }

  /** Offset where the 1-based {@code line} starts. */
  public int lineStart(int line) {
    return lineStarts[line - 1];
  }

  /** Number of lines (an empty source has one). */
  public int lineCount() {
    return lineStarts.length;
  }
}
