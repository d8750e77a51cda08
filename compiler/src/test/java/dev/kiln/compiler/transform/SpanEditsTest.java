package dev.kiln.compiler.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.compiler.ast.LineTable;
import dev.kiln.compiler.transform.SpanEdits.Range;
import dev.kiln.compiler.transform.SpanEdits.Text;
import org.junit.jupiter.api.Test;

class SpanEditsTest {

  static String render(SpanEdits edits) {
    return edits.code(LineTable.of(edits.source()));
  }

  @Test
  void noEditsCopiesTheSource() {
    assertThat(render(new SpanEdits("fn();\nget();"))).isEqualTo("fn();\nget();");
  }

  @Test
  void wrapsAndReplaces() {
    SpanEdits edits = new SpanEdits("fn($.a)");
    edits.replace(3, 4, new Text("state"));
    edits.before(3, 6, "state => ");
    assertThat(render(edits)).isEqualTo("fn(state => state.a)");
  }

  @Test
  void movedRangeCarriesItsInnerEditsButNotOuterInsertions() {
    //                              0123456789012345678
    SpanEdits edits = new SpanEdits("fn({a:$.b});\nx = 1;");
    edits.replace(6, 7, new Text("state"));
    edits.before(3, 10, "state => (");
    edits.after(3, 10, ")");
    edits.insert(0, 0, 19, new Text("HEADER\n"));
    edits.move(0, 12);
    edits.insert(19, 0, 19, new Text("\nexport default ["), new Range(0, 11), new Text("];"));
    assertThat(render(edits)).isEqualTo("HEADER\n\nx = 1;\nexport default [fn(state => ({a:state.b}))];");
  }

  @Test
  void rebuiltChainReusesItsParts() {
    //                              0123456789012345678
    SpanEdits edits = new SpanEdits("get($.u).then(f)");
    edits.replace(4, 5, new Text("state"));
    edits.before(4, 7, "state => ");
    edits.replace(
        0, 16, new Text("_defer("), new Range(0, 8), new Text(", p => "), new Text("p"), new Range(8, 16), new Text(")"));
    assertThat(render(edits)).isEqualTo("_defer(get(state => state.u), p => p.then(f))");
  }

  @Test
  void closingsBeforeOpeningsAtOneOffset() {
    SpanEdits edits = new SpanEdits("ab");
    edits.before(1, 2, "(");
    edits.after(0, 1, ")");
    assertThat(render(edits)).isEqualTo("a)(b");
  }

  @Test
  void mappingsMarkEachCopiedRunAndLineStart() {
    SpanEdits edits = new SpanEdits("a\nbc\n\nd");
    edits.before(0, 7, "X");
    // runs: "a\nbc\n\nd" after "X": segments at (0,1)->(0,0), (1,0)->(1,0), (3,0)->(3,0); blank line 2 none
    assertThat(edits.mappings(LineTable.of(edits.source())).mappings().toString()).isEqualTo("CAAA;AACA;;AAEA");
  }
}
