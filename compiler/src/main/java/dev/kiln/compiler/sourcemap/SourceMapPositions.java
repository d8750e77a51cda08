package dev.kiln.compiler.sourcemap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Maps positions in compiled code back to the job's source, using the compiler's source map.
 *
 * <p>The compiler writes one segment per run of copied text (not one per character as the
 * reference does), so a position is mapped from the last segment at or before it on its line
 * plus the column distance from that segment. This is what gives the reference's per-character
 * answers; a plain source-map consumer without that step would return the start of the run.
 */
public final class SourceMapPositions {
  private static final String DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  /** A position: 1-based line, 0-based column (UTF-16 units). */
  public record Position(int line, int column) {}

  /**
   * Per generated line: the segments as triples (generated column, original line, original
   * column); original line -1 marks generated text.
   */
  private final int[][] lines;

  private SourceMapPositions(int[][] lines) {
    this.lines = lines;
  }

  /** Reads the {@code mappings} of a v3 source map (only that field is decoded). */
  public static SourceMapPositions of(String sourceMapJson) {
    try (JsonParser parser = new ObjectMapper().getFactory().createParser(sourceMapJson)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a source map");
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if (field.equals("mappings")) {
          return new SourceMapPositions(decode(parser.getText()));
        }
        parser.skipChildren();
      }
      throw new IllegalArgumentException("source map without mappings");
    } catch (IOException e) {
      throw new UncheckedIOException("invalid source map: " + e.getMessage(), e);
    }
  }

  /**
   * The original position of a position in the compiled code, or null when nothing maps there
   * (text the compiler generated, such as an import it added).
   */
  public Position original(int line, int column) {
    if (line < 1 || line > lines.length) {
      return null;
    }
    int[] segments = lines[line - 1];
    int best = -1;
    for (int i = 0; i < segments.length && segments[i] <= column; i += 3) {
      best = i;
    }
    if (best < 0 || segments[best + 1] < 0) {
      return null;
    }
    return new Position(segments[best + 1] + 1, segments[best + 2] + column - segments[best]);
  }

  /** The number of generated lines the map covers. */
  public int lineCount() {
    return lines.length;
  }

  private static int[][] decode(String mappings) {
    int lineCount = 1;
    for (int i = 0; i < mappings.length(); i++) {
      if (mappings.charAt(i) == ';') {
        lineCount++;
      }
    }
    int[][] lines = new int[lineCount][];
    int[] current = new int[12];
    int size = 0;
    int line = 0;
    int column = 0;
    int origLine = 0;
    int origColumn = 0;
    int[] fields = new int[5];
    int i = 0;
    while (i <= mappings.length()) {
      char c = i < mappings.length() ? mappings.charAt(i) : ';';
      if (c == ';') {
        lines[line++] = Arrays.copyOf(current, size);
        size = 0;
        column = 0;
        i++;
        continue;
      }
      if (c == ',') {
        i++;
        continue;
      }
      int count = 0;
      while (i < mappings.length() && mappings.charAt(i) != ',' && mappings.charAt(i) != ';') {
        int value = 0;
        int shift = 0;
        int digit;
        do {
          digit = DIGITS.indexOf(mappings.charAt(i++));
          if (digit < 0) {
            throw new IllegalArgumentException("invalid mappings character at " + (i - 1));
          }
          value |= (digit & 31) << shift;
          shift += 5;
        } while ((digit & 32) != 0);
        if (count < fields.length) {
          fields[count] = (value & 1) != 0 ? -(value >>> 1) : value >>> 1;
        }
        count++;
      }
      column += fields[0];
      if (size + 3 > current.length) {
        current = Arrays.copyOf(current, current.length * 2);
      }
      current[size++] = column;
      if (count >= 4) {
        origLine += fields[2];
        origColumn += fields[3];
        current[size++] = origLine;
        current[size++] = origColumn;
      } else { // a one-field segment: generated text, mapped nowhere
        current[size++] = -1;
        current[size++] = -1;
      }
    }
    return lines;
  }
}
