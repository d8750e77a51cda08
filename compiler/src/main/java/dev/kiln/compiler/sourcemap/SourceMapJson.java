package dev.kiln.compiler.sourcemap;

import java.util.List;

/**
 * Writes the compiler's v3 source map as the reference does: {@code
 * {"version":3,"sources":[name.js],"names":[],"mappings":…,"file":name.map.js,
 * "sourcesContent":[source],"operations":[…]}}.
 */
public final class SourceMapJson {
  private SourceMapJson() {}

  /** An entry of the {@code operations} array; {@code name} null is omitted, as JSON.stringify does. */
  public record OperationEntry(String name, int line, int order) {}

  /** The map as JSON text; the builder is sized exactly, so the only copy is the final String. */
  public static String write(String name, CharSequence mappings, String source, List<OperationEntry> operations) {
    StringBuilder ops = new StringBuilder();
    for (int i = 0; i < operations.size(); i++) {
      OperationEntry op = operations.get(i);
      ops.append(i == 0 ? "" : ",").append('{');
      if (op.name() != null) {
        ops.append("\"name\":");
        appendString(ops, op.name());
        ops.append(',');
      }
      ops.append("\"line\":").append(op.line()).append(",\"order\":").append(op.order()).append('}');
    }
    String sources = quoted(name + ".js");
    String file = quoted(name + ".map.js");
    String head = "{\"version\":3,\"sources\":[" + sources + "],\"names\":[],\"mappings\":\"";
    String middle = "\",\"file\":" + file + ",\"sourcesContent\":[";
    String tail = "],\"operations\":[" + ops + "]}";
    long size = (long) head.length() + mappings.length() + middle.length() + escapedLength(source) + tail.length();
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalStateException("source map too large");
    }
    StringBuilder out = new StringBuilder((int) size);
    out.append(head).append(mappings).append(middle);
    appendString(out, source);
    out.append(tail);
    return out.toString();
  }

  private static String quoted(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2);
    appendString(out, s);
    return out.toString();
  }

  /** Length of {@code s} as a JSON string literal, quotes included. */
  static long escapedLength(String s) {
    long length = 2;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
        length += 2;
      } else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
        length += 6;
      } else {
        length++;
      }
    }
    return length;
  }

  /** Appends {@code s} as a JSON string literal. */
  static void appendString(StringBuilder out, String s) {
    out.append('"');
    int run = 0;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      String escape =
          switch (c) {
            case '"' -> "\\\"";
            case '\\' -> "\\\\";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            default -> c < 0x20 || c == '\u2028' || c == '\u2029' ? String.format("\\u%04x", (int) c) : null;
          };
      if (escape != null) {
        out.append(s, run, i).append(escape);
        run = i + 1;
      }
    }
    out.append(s, run, s.length()).append('"');
  }
}
