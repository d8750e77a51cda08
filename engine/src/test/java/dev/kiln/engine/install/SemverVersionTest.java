package dev.kiln.engine.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SemverVersionTest {

  @Test
  void ordersAsTheSemverSpecSays() {
    List<String> ordered = List.of(
        "0.0.9", "0.9.0", "1.0.0-0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
        "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "10.0.0");
    List<SemverVersion> shuffled = new ArrayList<>(ordered.stream().map(v -> SemverVersion.parse(v).orElseThrow()).toList());
    Collections.reverse(shuffled);
    Collections.swap(shuffled, 2, 9);
    Collections.sort(shuffled);
    assertThat(shuffled).extracting(SemverVersion::toString).containsExactlyElementsOf(ordered);
  }

  @Test
  void parsesPrefixesBuildAndPrerelease() {
    SemverVersion v = SemverVersion.parse(" v1.2.3-rc.1+build.5 ").orElseThrow();
    assertThat(v.major()).isEqualTo(1);
    assertThat(v.prerelease()).containsExactly("rc", "1");
    assertThat(v.build()).isEqualTo("build.5");
    assertThat(v.toString()).isEqualTo("1.2.3-rc.1+build.5");
    assertThat(v.compareTo(SemverVersion.parse("1.2.3-rc.1").orElseThrow())).isZero();
    assertThat(SemverVersion.parse("=2.0.0")).map(Object::toString).contains("2.0.0");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.3-01", "1.2.3-", "a.b.c", "latest", "^1.2.3", "1.2.x"})
  void rejectsInvalidVersions(String text) {
    assertThat(SemverVersion.parse(text)).isEmpty();
  }
}
