package dev.kiln.compiler.parse;

/** Generates the large-literal job of the spec: a mapping table inside a job's operation. */
final class LargeMappingJob {
  private LargeMappingJob() {}

  /**
   * {@code fn(state => { const map = {"k0": {"a": 0, "b": "x0"}, ...}; return {...state, data:
   * map[state.data.k]}; });} of at least {@code targetChars} characters.
   */
  static String generate(int targetChars, boolean pretty) {
    StringBuilder job = new StringBuilder(targetChars + 256);
    job.append("fn(state => {\n  const map = {");
    String separator = pretty ? "\n    " : "";
    for (int i = 0; job.length() < targetChars; i++) {
      if (i > 0) {
        job.append(',');
      }
      job.append(separator).append("\"k").append(i).append("\":");
      if (pretty) {
        job.append(" {\n      \"a\": ").append(i).append(",\n      \"b\": \"x").append(i)
            .append("\",\n      \"c\": [-1.5, true, null]\n    }");
      } else {
        job.append("{\"a\":").append(i).append(",\"b\":\"x").append(i).append("\",\"c\":[-1.5,true,null]}");
      }
    }
    job.append(pretty ? "\n  };\n" : "};\n");
    job.append("  return { ...state, data: map[state.data.k] };\n});\n");
    return job.toString();
  }
}
