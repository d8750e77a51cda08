package dev.kiln.compiler;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generates the large-mapping job the reference struggles with: {@code fn(state => { const map =
 * {...N MB of keys with small objects...}; return {...state, data: map[state.data.k]}; });},
 * pretty-printed (one key per line) or minified (one line).
 */
final class MappingJob {
  static final String MAP_START = "const map = ";

  private MappingJob() {}

  static void write(Path file, long bytes, boolean pretty) throws IOException {
    String nl = pretty ? "\n" : "";
    String in1 = pretty ? "  " : "";
    String in2 = pretty ? "    " : "";
    String sp = pretty ? " " : "";
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      String head = "fn(state => {" + nl + in1 + MAP_START + "{" + nl;
      out.write(head);
      long written = head.length();
      StringBuilder entry = new StringBuilder();
      for (int i = 0; written < bytes; i++) {
        entry.setLength(0);
        entry.append(i == 0 ? "" : "," + nl).append(in2).append("\"key-").append(i).append("\":").append(sp)
            .append('{').append(sp)
            .append("\"id\":").append(sp).append(i).append(',').append(sp)
            .append("\"name\":").append(sp).append("\"name ").append(i).append("\",").append(sp)
            .append("\"tags\":").append(sp).append("[\"a\",").append(sp).append("\"b\"],").append(sp)
            .append("\"active\":").append(sp).append(i % 2 == 0).append(',').append(sp)
            .append("\"score\":").append(sp).append(i * 0.5).append(sp).append('}');
        out.append(entry);
        written += entry.length();
      }
      out.write(nl + in1 + "};" + nl + in1 + "return { ...state, data: map[state.data.k] };" + nl + "});" + nl);
    }
  }

  /** The map literal's text: from the {@code {} after {@code const map = } to its matching {@code }}. */
  static String literal(String job) {
    int start = job.indexOf(MAP_START) + MAP_START.length();
    int end = job.lastIndexOf("};");
    return job.substring(start, end + 1);
  }
}
