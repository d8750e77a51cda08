package dev.kiln.engine.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class IntegrityTest {
  private static final byte[] DATA = "tarball bytes".getBytes(StandardCharsets.UTF_8);

  private static byte[] hash(String algorithm, byte[] data) throws Exception {
    return MessageDigest.getInstance(algorithm).digest(data);
  }

  private static byte[] actual(Integrity integrity, byte[] data) {
    return integrity.newDigest().digest(data);
  }

  @Test
  void verifiesSha512() throws Exception {
    Integrity integrity = Integrity.of("sha512-" + Base64.getEncoder().encodeToString(hash("SHA-512", DATA)), null);
    assertThat(integrity.algorithm()).isEqualTo("sha512");
    assertThat(integrity.matches(actual(integrity, DATA))).isTrue();
    assertThat(integrity.matches(actual(integrity, "other".getBytes()))).isFalse();
    assertThat(integrity.cacheKey()).isEqualTo("sha512-" + HexFormat.of().formatHex(hash("SHA-512", DATA)));
  }

  @Test
  void usesTheStrongestAlgorithmAndAnyOfItsEntries() throws Exception {
    String sri = "sha1-" + Base64.getEncoder().encodeToString(hash("SHA-1", "wrong".getBytes()))
        + " sha512-" + Base64.getEncoder().encodeToString(hash("SHA-512", "other".getBytes()))
        + "\tsha512-" + Base64.getEncoder().encodeToString(hash("SHA-512", DATA)) + "?opt";
    Integrity integrity = Integrity.of(sri, "0000000000000000000000000000000000000000");
    assertThat(integrity.algorithm()).isEqualTo("sha512");
    assertThat(integrity.digests()).hasSize(2);
    assertThat(integrity.matches(actual(integrity, DATA))).isTrue();
  }

  @Test
  void fallsBackToTheSha1Shasum() throws Exception {
    Integrity integrity = Integrity.of(null, HexFormat.of().formatHex(hash("SHA-1", DATA)).toUpperCase());
    assertThat(integrity.algorithm()).isEqualTo("sha1");
    assertThat(integrity.matches(actual(integrity, DATA))).isTrue();
    assertThat(Integrity.of("md5-abc", HexFormat.of().formatHex(hash("SHA-1", DATA))).algorithm()).isEqualTo("sha1");
  }

  @Test
  void refusesWhenThereIsNothingToVerifyAgainst() {
    assertThatThrownBy(() -> Integrity.of("", "not-hex")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no usable dist.integrity");
    assertThatThrownBy(() -> Integrity.of(null, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
