package dev.kiln.engine.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Vectors follow npm's node-semver (loose mode, as npm reads dependency specs; no includePrerelease). */
class SemverRangeTest {

  static Stream<Arguments> included() {
    return pairs(
        "1.0.0 - 2.0.0", "1.2.3",
        "^1.2.3+build", "1.2.3",
        "^1.2.3+build", "1.3.0",
        "1.2.3-pre+asdf - 2.4.3-pre+asdf", "1.2.3",
        "1.2.3-pre+asdf - 2.4.3-pre+asdf", "1.2.3-pre.2",
        "1.2.3-pre+asdf - 2.4.3-pre+asdf", "2.4.3-alpha",
        "1.2.3+asdf - 2.4.3+asdf", "1.2.3",
        "1.0.0", "1.0.0",
        ">=*", "0.2.4",
        "", "1.0.0",
        "*", "1.2.3",
        ">=1.0.0", "1.0.0",
        ">=1.0.0", "1.1.0",
        ">1.0.0", "1.0.1",
        "<=2.0.0", "2.0.0",
        "<=2.0.0", "1.9999.9999",
        "<2.0.0", "0.2.9",
        ">= 1.0.0", "1.0.0",
        ">=  1.0.0", "1.0.1",
        ">    1.0.0", "1.0.1",
        "<=   2.0.0", "2.0.0",
        "<    2.0.0", "0.2.9",
        ">=0.1.97", "v0.1.97",
        "0.1.20 || 1.2.4", "1.2.4",
        ">=0.2.3 || <0.0.1", "0.0.0",
        ">=0.2.3 || <0.0.1", "0.2.4",
        "||", "1.3.4",
        "2.x.x", "2.1.3",
        "1.2.x", "1.2.3",
        "1.2.x || 2.x", "2.1.3",
        "x", "1.2.3",
        "2.*.*", "2.1.3",
        "1.2.* || 2.*", "1.2.3",
        "2", "2.1.2",
        "2.3", "2.3.1",
        "~0.0.1", "0.0.2",
        "~x", "0.0.9",
        "~2", "2.0.9",
        "~2.4", "2.4.5",
        "~>3.2.1", "3.2.2",
        "~1", "1.2.3",
        "~> 1", "1.2.3",
        "~ 1.0", "1.0.2",
        "~ 1.0.3", "1.0.12",
        ">=1", "1.0.0",
        ">= 1", "1.0.0",
        "<1.2", "1.1.1",
        "< 1.2", "1.1.1",
        "~v0.5.4-pre", "0.5.5",
        "~v0.5.4-pre", "0.5.4",
        "=0.7.x", "0.7.2",
        "<=0.7.x", "0.7.2",
        ">=0.7.x", "0.7.2",
        "<=0.7.x", "0.6.2",
        "~1.2.1 >=1.2.3", "1.2.3",
        "~1.2.1 =1.2.3", "1.2.3",
        "~1.2.1 1.2.3 >=1.2.3", "1.2.3",
        ">=1.2.1 >=1.2.3", "1.2.3",
        ">=1.2", "1.2.8",
        "^1.2.3", "1.8.1",
        "^0.1.2", "0.1.2",
        "^0.1", "0.1.2",
        "^0.0.1", "0.0.1",
        "^1.2", "1.4.2",
        "^1.2 ^1", "1.4.2",
        "^1.2.3-alpha", "1.2.3-pre",
        "^1.2.0-alpha", "1.2.0-pre",
        "^0.0.1-alpha", "0.0.1-beta",
        "^0.0.1-alpha", "0.0.1",
        "^0.1.1-alpha", "0.1.1-beta",
        "^x", "1.2.3",
        "x - 1.0.0", "0.9.7",
        "x - 1.x", "0.9.7",
        "1.0.0 - x", "1.9.7",
        "1.x - x", "1.9.7",
        "<=7.x", "7.9.9",
        "1.0.0-rc.12", "1.0.0-rc.12",
        "~ 1.0.3alpha", "1.0.12",
        "1.2.3pre+asdf - 2.4.3-pre+asdf", "1.2.3",
        "1.2.3pre+asdf - 2.4.3pre+asdf", "2.4.3-alpha",
        ">=01.02.03", "1.2.3",
        ">=1.2.3-beta.01", "1.2.3-beta.1",
        ">=1.0.0-beta.2 <2", "1.0.0-beta.11");
  }

  static Stream<Arguments> excluded() {
    return pairs(
        "1.0.0 - 2.0.0", "2.2.3",
        "1.2.3+asdf - 2.4.3+asdf", "1.2.3-pre.2",
        "1.2.3+asdf - 2.4.3+asdf", "2.4.3-alpha",
        "^1.2.3+build", "2.0.0",
        "^1.2.3+build", "1.2.0",
        "^1.2.3", "1.2.3-pre",
        "^1.2", "1.2.0-pre",
        ">1.2", "1.3.0-beta",
        "<=1.2.3", "1.2.3-beta",
        "^1.2.3", "1.2.3-beta",
        "=0.7.x", "0.7.0-asdf",
        ">=0.7.x", "0.7.0-asdf",
        "<=0.7.x", "0.7.0-asdf",
        "1.0.0", "1.0.1",
        ">=1.0.0", "0.1.0",
        ">1.0.0", "0.0.1",
        ">1.0.0", "1.0.0",
        "<=2.0.0", "2.2.9",
        "<2.0.0", "2.0.0",
        ">=0.1.97", "v0.1.93",
        "0.1.20 || 1.2.4", "1.2.3",
        ">=0.2.3 || <0.0.1", "0.0.3",
        ">=0.2.3 || <0.0.1", "0.2.2",
        "2.x.x", "1.1.3",
        "2.x.x", "3.1.3",
        "1.2.x", "1.3.3",
        "1.2.x || 2.x", "3.1.3",
        "1.2.x || 2.x", "1.1.3",
        "2.*.*", "3.1.3",
        "2", "1.1.2",
        "2.3", "2.4.1",
        "~0.0.1", "0.1.0-alpha",
        "~0.0.1", "0.1.0",
        "~2.4", "2.5.0",
        "~2.4", "2.3.9",
        "~>3.2.1", "3.3.2",
        "~>3.2.1", "3.2.0",
        "~1", "0.2.3",
        "~>1", "2.2.3",
        "~1.0", "1.1.0",
        "<1", "1.0.0",
        ">=1.2", "1.1.1",
        "~v0.5.4-beta", "0.5.4-alpha",
        "=0.7.x", "0.8.2",
        ">=0.7.x", "0.6.2",
        "<0.7.x", "0.7.2",
        "<1.2.3", "1.2.3-beta",
        "=1.2.3", "1.2.3-beta",
        ">1.2", "1.2.8",
        "^0.0.1", "0.0.2-alpha",
        "^0.0.1", "0.0.2",
        "^1.2.3", "2.0.0-alpha",
        "^1.2.3", "1.2.2",
        "^1.2", "1.1.9",
        "*", "v1.2.3-foo",
        "^1.0.0", "2.0.0-rc1",
        "1 - 2", "2.0.0-pre",
        "1 - 2", "1.0.0-pre",
        "1.0 - 2", "1.0.0-pre",
        "1.1.x", "1.0.0-a",
        "1.1.x", "1.1.0-a",
        "1.x", "1.2.0-a",
        ">=1.0.0 <1.1.0", "1.1.0",
        ">=1.0.0 <1.1.0", "1.1.0-pre",
        ">=1.0.0 <1.1.0-pre", "1.1.0-pre",
        "2.x", "3.0.0-pre.0",
        "^1.0.0", "1.0.0-rc1",
        "^1.2.3-rc2", "2.0.0",
        "~1.2.3-beta.2", "1.3.0-beta",
        "~ 1.0.3alpha", "1.1.0",
        ">*", "1.0.0",
        "<*", "0.0.0");
  }

  @ParameterizedTest(name = "{1} satisfies \"{0}\"")
  @MethodSource("included")
  void includes(String range, String version) {
    assertThat(SemverRange.parse(range).orElseThrow().isSatisfiedBy(SemverVersion.parse(version).orElseThrow()))
        .isTrue();
  }

  @ParameterizedTest(name = "{1} does not satisfy \"{0}\"")
  @MethodSource("excluded")
  void excludes(String range, String version) {
    assertThat(SemverRange.parse(range).orElseThrow().isSatisfiedBy(SemverVersion.parse(version).orElseThrow()))
        .isFalse();
  }

  @ParameterizedTest(name = "\"{0}\" desugars to \"{1}\"")
  @CsvSource(delimiter = ';', value = {
      "1.0.0 - 2.0.0     ; >=1.0.0 <=2.0.0",
      "1 - 2             ; >=1.0.0 <3.0.0-0",
      "1.0 - 2.0         ; >=1.0.0 <2.1.0-0",
      "^1.2.3            ; >=1.2.3 <2.0.0-0",
      "^0.2.3            ; >=0.2.3 <0.3.0-0",
      "^0.0.3            ; >=0.0.3 <0.0.4-0",
      "^1.2.3-beta.2     ; >=1.2.3-beta.2 <2.0.0-0",
      "^0.0.x            ; >=0.0.0 <0.1.0-0",
      "^0.x              ; >=0.0.0 <1.0.0-0",
      "^1.x              ; >=1.0.0 <2.0.0-0",
      "~1.2.3            ; >=1.2.3 <1.3.0-0",
      "~1                ; >=1.0.0 <2.0.0-0",
      "~0.2              ; >=0.2.0 <0.3.0-0",
      "~1.2.3-beta.2     ; >=1.2.3-beta.2 <1.3.0-0",
      ">1.2              ; >=1.3.0",
      ">1                ; >=2.0.0",
      "<=1.2             ; <1.3.0-0",
      "<1.2              ; <1.2.0-0",
      "1.x               ; >=1.0.0 <2.0.0-0",
      "1.2.*             ; >=1.2.0 <1.3.0-0",
      "*                 ; *",
      ">=*               ; *",
      "<*                ; <0.0.0-0",
      ">= 1.2.3  < 2     ; >=1.2.3 <2.0.0-0",
      "1.2.3 || ^2       ; =1.2.3||>=2.0.0 <3.0.0-0",
  })
  void desugarsLikeNodeSemver(String range, String primitives) {
    assertThat(SemverRange.parse(range).orElseThrow().primitives()).isEqualTo(primitives);
  }

  @ParameterizedTest
  @ValueSource(strings = {"blerg", "latest", "next", "1.2.3.4", "99999999999999999999.0.0", "~>", ">", "1.2.3 - ", "git+https://x/y.git", "npm:foo@1"})
  void rejectsWhatIsNotARange(String text) {
    assertThat(SemverRange.parse(text)).isEmpty();
  }

  @Test
  void picksTheHighestSatisfyingVersion() {
    List<SemverVersion> versions = Stream.of("1.0.0", "1.4.2", "1.10.0", "2.0.0", "1.11.0-beta.1")
        .map(v -> SemverVersion.parse(v).orElseThrow())
        .toList();
    assertThat(SemverRange.parse("^1.0.0").orElseThrow().maxSatisfying(versions))
        .map(Object::toString).contains("1.10.0");
    assertThat(SemverRange.parse("^3").orElseThrow().maxSatisfying(versions)).isEmpty();
    assertThat(SemverRange.parse(">=1.11.0-beta.0 <2").orElseThrow().maxSatisfying(versions))
        .map(Object::toString).contains("1.11.0-beta.1");
  }

  private static Stream<Arguments> pairs(String... rangeVersion) {
    Stream.Builder<Arguments> out = Stream.builder();
    for (int i = 0; i < rangeVersion.length; i += 2) out.add(Arguments.of(rangeVersion[i], rangeVersion[i + 1]));
    return out.build();
  }
}
