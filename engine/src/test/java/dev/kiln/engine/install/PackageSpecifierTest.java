package dev.kiln.engine.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The reference's getNameAndVersion / getAliasedName vectors. */
class PackageSpecifierTest {

  @ParameterizedTest
  @CsvSource({
      "x@1, x, 1, x_1",
      "x@1.0.0, x, 1.0.0, x_1.0.0",
      "axios@1.0.0, axios, 1.0.0, axios_1.0.0",
      "@x/y@1.0.0, @x/y, 1.0.0, @x/y_1.0.0",
      "@openfn/language-common@1.0.0, @openfn/language-common, 1.0.0, @openfn/language-common_1.0.0",
      "@openfn/language-common, @openfn/language-common, latest, @openfn/language-common_latest",
      "x, x, latest, x_latest",
      "@openfn/language-http@next, @openfn/language-http, next, @openfn/language-http_next",
      "@openfn/language-http@local, @openfn/language-http, local, @openfn/language-http_local",
  })
  void splitsAtTheLastAt(String specifier, String name, String wanted, String alias) throws Exception {
    PackageSpecifier parsed = PackageSpecifier.parse(specifier);
    assertThat(parsed).isEqualTo(new PackageSpecifier(name, wanted));
    assertThat(PackageSpecifier.alias(parsed.name(), parsed.wanted())).isEqualTo(alias);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "@", "../x@1", "@x/../y", "x/y@1", "@scope/@1", "a b@1", ".hidden", "_private"})
  void rejectsNamesThatAreNotNpmNames(String specifier) {
    assertThatThrownBy(() -> PackageSpecifier.parse(specifier))
        .isInstanceOf(AdaptorInstallException.class)
        .hasMessageContaining("Invalid package name");
  }
}
