package dev.kiln.compiler.sourcemap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MappingsBuilderTest {

  static String vlq(int value) {
    StringBuilder out = new StringBuilder();
    Base64Vlq.append(out, value);
    return out.toString();
  }

  @Test
  void encodesVlqLikeTheSourceMapSpec() {
    assertThat(vlq(0)).isEqualTo("A");
    assertThat(vlq(1)).isEqualTo("C");
    assertThat(vlq(-1)).isEqualTo("D");
    assertThat(vlq(15)).isEqualTo("e");
    assertThat(vlq(16)).isEqualTo("gB");
    assertThat(vlq(123)).isEqualTo("2H");
    assertThat(vlq(-123456)).isEqualTo("hkxH");
    assertThat(vlq(Integer.MIN_VALUE)).isEqualTo("hgggggE");
  }

  @Test
  void segmentsAreRelativeAndLinesSeparated() {
    MappingsBuilder m = new MappingsBuilder(4);
    m.add(0, 16, 0, 0); // the reference's first segment for "fn();": gBAAA
    m.add(0, 20, 0, 4);
    m.add(2, 0, 1, 0);
    assertThat(m.mappings().toString()).isEqualTo("gBAAA,IAAI;;AACJ");
  }

  @Test
  void rejectsOutOfOrderSegments() {
    MappingsBuilder m = new MappingsBuilder(1);
    m.add(1, 5, 0, 0);
    assertThatThrownBy(() -> m.add(0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jsonEscapesTheSourceExactly() {
    String source = "a\"b\\c\nd\te\u0001f\u2028";
    StringBuilder out = new StringBuilder();
    SourceMapJson.appendString(out, source);
    assertThat(out.toString()).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028\"");
    assertThat(SourceMapJson.escapedLength(source)).isEqualTo(out.length());
  }
}
