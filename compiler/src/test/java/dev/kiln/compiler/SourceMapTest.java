package dev.kiln.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The v3 map: unchanged text maps back to where it was, across edits and moved operations. */
class SourceMapTest {

  static SourceMapLookup lookup(CompiledJob job) throws Exception {
    return SourceMapLookup.of(new ObjectMapper().readTree(job.sourceMapJson()));
  }

  /** Every character of every identifier in the output that also occurs in the source maps back onto the same text. */
  static void assertMapsBack(String source, CompiledJob job) throws Exception {
    SourceMapLookup map = lookup(job);
    String[] generated = job.code().split("\n", -1);
    String[] original = source.split("\n", -1);
    int checked = 0;
    for (SourceMapLookup.Segment s : map.segments()) {
      String gen = generated[s.genLine()].substring(s.genColumn());
      String orig = original[s.origLine()].substring(s.origColumn());
      int same = 0;
      while (same < gen.length() && same < orig.length() && gen.charAt(same) == orig.charAt(same)) {
        same++;
      }
      assertThat(same).as("segment %s: %s vs %s", s, gen, orig).isGreaterThan(0);
      checked++;
    }
    assertThat(checked).isPositive();
  }

  @Test
  void mapsReusedTextAroundEdits() throws Exception {
    String source = "get($.a);\nfn(x  =>   y);";
    CompiledJob job = JobCompiler.compile(source, CompileOptions.named("src"));
    assertMapsBack(source, job);
    // the y of the second operation
    int line = 1;
    int col = job.code().split("\n")[1].indexOf('y');
    assertThat(lookup(job).original(line, col)).containsExactly(1, 11);
  }

  @Test
  void mapsMovedOperations() throws Exception {
    String source = "fn(a);\nconst b = 2;\nget(b);\n";
    CompiledJob job = JobCompiler.compile(source, CompileOptions.named("src"));
    assertMapsBack(source, job);
    String[] lines = job.code().split("\n");
    int last = lines.length - 1;
    assertThat(lookup(job).original(last, lines[last].indexOf("fn(a)") + 3)).containsExactly(0, 3);
  }

  @Test
  void mapsThroughImportsAndDefer() throws Exception {
    String source = "import x from 'y';\n\nget($.url).then(s => s);\n";
    CompiledJob job =
        JobCompiler.compile(source, CompileOptions.named("src").withAdaptor(new AdaptorImports("ad", List.of("get"), true)));
    assertMapsBack(source, job);
  }

  @Test
  void referenceMapForASingleOperationHasTheSameShape() throws Exception {
    CompiledJob job = JobCompiler.compile("fn();", CompileOptions.named("src"));
    // reference: "gBAAA,CAAC,CAAC,CAAC" (one segment per character); Kiln: one per copied run
    assertThat(job.sourceMapJson())
        .startsWith("{\"version\":3,\"sources\":[\"src.js\"],\"names\":[],\"mappings\":\"")
        .endsWith("\"file\":\"src.map.js\",\"sourcesContent\":[\"fn();\"],\"operations\":[{\"name\":\"fn\",\"line\":1,\"order\":1}]}");
    assertThat(lookup(job).original(0, 16)).containsExactly(0, 0);
    assertThat(lookup(job).original(0, 18)).containsExactly(0, 2);
  }
}
