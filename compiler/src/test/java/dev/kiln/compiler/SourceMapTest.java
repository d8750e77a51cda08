package dev.kiln.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.compiler.sourcemap.SourceMapPositions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The v3 map: unchanged text maps back to where it was, across edits and moved operations. */
class SourceMapTest {

  static SourceMapPositions lookup(CompiledJob job) {
    return SourceMapPositions.of(job.sourceMapJson());
  }

  /** Every generated character that maps anywhere maps onto the same character of the source. */
  static void assertMapsBack(String source, CompiledJob job) {
    SourceMapPositions map = lookup(job);
    String[] generated = job.code().split("\n", -1);
    String[] original = source.split("\n", -1);
    int checked = 0;
    for (int line = 0; line < generated.length; line++) {
      for (int column = 0; column < generated[line].length(); column++) {
        SourceMapPositions.Position p = map.original(line + 1, column);
        if (p != null && column < generated[line].length()) {
          String from = original[p.line() - 1];
          assertThat(p.column()).as("%d:%d -> %s", line + 1, column, p).isLessThan(from.length());
          assertThat(from.charAt(p.column())).as("%d:%d -> %s", line + 1, column, p).isEqualTo(generated[line].charAt(column));
          checked++;
        }
      }
    }
    assertThat(checked).isPositive();
  }

  @Test
  void mapsReusedTextAroundEdits() {
    String source = "get($.a);\nfn(x  =>   y);";
    CompiledJob job = JobCompiler.compile(source, CompileOptions.named("src"));
    assertMapsBack(source, job);
    // the y of the second operation
    int line = 1;
    int col = job.code().split("\n")[1].indexOf('y');
    assertThat(lookup(job).original(line + 1, col)).isEqualTo(new SourceMapPositions.Position(2, 11));
  }

  @Test
  void mapsMovedOperations() {
    String source = "fn(a);\nconst b = 2;\nget(b);\n";
    CompiledJob job = JobCompiler.compile(source, CompileOptions.named("src"));
    assertMapsBack(source, job);
    String[] lines = job.code().split("\n");
    int last = lines.length - 1;
    assertThat(lookup(job).original(last + 1, lines[last].indexOf("fn(a)") + 3)).isEqualTo(new SourceMapPositions.Position(1, 3));
  }

  @Test
  void mapsThroughImportsAndDefer() {
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
    assertThat(lookup(job).original(1, 16)).isEqualTo(new SourceMapPositions.Position(1, 0));
    assertThat(lookup(job).original(1, 18)).isEqualTo(new SourceMapPositions.Position(1, 2));
    assertThat(lookup(job).original(1, 3)).isNull(); // inside the generated "export default ["
  }
}
