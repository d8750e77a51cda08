package dev.kiln.lightning.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WorkerTokenTest {
  private static final Instant NOW = Instant.ofEpochSecond(1_732_838_400L);

  private static String decode(String part) {
    return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
  }

  @Test
  void headerAndClaimsAreExactlyTheReferences() {
    String[] parts = WorkerToken.mint("s3cret", "brave-pumas-sing", NOW).split("\\.");
    assertThat(parts).hasSize(3);
    assertThat(decode(parts[0])).isEqualTo("{\"alg\":\"HS256\"}");
    assertThat(decode(parts[1]))
        .isEqualTo("{\"worker_id\":\"brave-pumas-sing\",\"iat\":1732838400,\"iss\":\"urn:openfn:worker\"}");
  }

  @Test
  void signatureVerifiesWithAnIndependentHs256Implementation() throws Exception {
    String secret = "a-secret-that-is-at-least-32-bytes-long!";
    SignedJWT jwt = SignedJWT.parse(WorkerToken.mint(secret, "w", NOW));
    assertThat(jwt.verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8)))).isTrue();
    assertThat(jwt.verify(new MACVerifier("another-secret-that-is-32-bytes-long!!".getBytes(StandardCharsets.UTF_8)))).isFalse();
  }

  @Test
  void verifyAcceptsOwnTokensEvenWithShortSecrets() throws Exception {
    assertThat(WorkerToken.verify(WorkerToken.mint("x", "w1", NOW), "x", NOW))
        .isEqualTo(new WorkerToken.Claims("w1", NOW.getEpochSecond()));
  }

  @Test
  void noSecretMeansTheReferencePlaceholder() throws Exception {
    String token = WorkerToken.mint(null, "w", NOW);
    assertThat(WorkerToken.verify(token, "<secret>", NOW).workerId()).isEqualTo("w");
    assertThat(WorkerToken.mint("", "w", NOW)).isEqualTo(token);
  }

  @Test
  void verifyRejectsWrongSecretForgedClaimsAndGarbage() {
    String token = WorkerToken.mint("right", "w", NOW);
    assertThatThrownBy(() -> WorkerToken.verify(token, "wrong", NOW))
        .isInstanceOf(TokenException.class)
        .hasMessageContaining("does not match");
    String[] parts = token.split("\\.");
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString("{\"worker_id\":\"evil\",\"iat\":1,\"iss\":\"urn:openfn:worker\"}".getBytes(StandardCharsets.UTF_8))
        + "." + parts[2];
    assertThatThrownBy(() -> WorkerToken.verify(forged, "right", NOW)).isInstanceOf(TokenException.class);
    assertThatThrownBy(() -> WorkerToken.verify("x.y", "right", NOW)).hasMessageContaining("not a JWT");
    assertThatThrownBy(() -> WorkerToken.verify(null, "right", NOW)).isInstanceOf(TokenException.class);
  }
}
