package dev.kiln.compiler;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a v3 map's {@code mappings} and looks positions up the way Kiln's runtime must with
 * segment-granular maps: the last segment at or before the column, plus the distance from it.
 */
final class SourceMapLookup {
  private static final String DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  /** One segment; all 0-based. */
  record Segment(int genLine, int genColumn, int origLine, int origColumn) {}

  private final List<Segment> segments;

  private SourceMapLookup(List<Segment> segments) {
    this.segments = segments;
  }

  static SourceMapLookup of(JsonNode map) {
    return new SourceMapLookup(decode(map.get("mappings").asText()));
  }

  List<Segment> segments() {
    return segments;
  }

  static List<Segment> decode(String mappings) {
    List<Segment> out = new ArrayList<>();
    int line = 0;
    int col = 0;
    int origLine = 0;
    int origCol = 0;
    int[] fields = new int[5];
    int i = 0;
    while (i < mappings.length()) {
      char c = mappings.charAt(i);
      if (c == ';') {
        line++;
        col = 0;
        i++;
        continue;
      }
      if (c == ',') {
        i++;
        continue;
      }
      int n = 0;
      while (i < mappings.length() && mappings.charAt(i) != ',' && mappings.charAt(i) != ';') {
        int value = 0;
        int shift = 0;
        int digit;
        do {
          digit = DIGITS.indexOf(mappings.charAt(i++));
          value |= (digit & 31) << shift;
          shift += 5;
        } while ((digit & 32) != 0);
        fields[n++] = (value & 1) != 0 ? -(value >>> 1) : value >>> 1;
      }
      col += fields[0];
      origLine += fields[2];
      origCol += fields[3];
      out.add(new Segment(line, col, origLine, origCol));
    }
    return out;
  }

  /** The original {line, column} (0-based) of a generated position (0-based), or null. */
  int[] original(int genLine, int genColumn) {
    Segment best = null;
    for (Segment s : segments) {
      if (s.genLine() == genLine && s.genColumn() <= genColumn) {
        best = s;
      }
    }
    return best == null ? null : new int[] {best.origLine(), best.origColumn() + genColumn - best.genColumn()};
  }
}
