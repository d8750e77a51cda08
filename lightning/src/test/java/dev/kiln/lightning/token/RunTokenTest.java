package dev.kiln.lightning.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.Test;

class RunTokenTest {
  private static final Instant NOW = Instant.ofEpochSecond(1_732_838_400L);

  private static String resource(String name) throws IOException {
    try (InputStream in = RunTokenTest.class.getResourceAsStream("/keys/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static RunTokenIssuer fixtureIssuer() throws Exception {
    return RunTokenIssuer.fromPrivateKeyPem(resource("rsa-private-pkcs1.pem"));
  }

  @Test
  void claimsAreLightnings() throws Exception {
    String token = fixtureIssuer().mint("run-1", NOW, Duration.ofSeconds(310));
    SignedJWT jwt = SignedJWT.parse(token);
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo("Lightning");
    assertThat(claims.getClaim("id")).isEqualTo("run-1");
    assertThat(claims.getSubject()).isEqualTo("run:run-1");
    assertThat(claims.getNotBeforeTime().toInstant()).isEqualTo(NOW);
    assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plusSeconds(310));
  }

  @Test
  void verifiesWithSpkiAndPkcs1PemAsTextOrBase64() throws Exception {
    String token = fixtureIssuer().mint("run-1", NOW, Duration.ofMinutes(5));
    for (String name : new String[] {"rsa-public-spki.pem", "rsa-public-pkcs1.pem"}) {
      String pem = resource(name);
      String base64 = Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
      assertThat(RunTokenVerifier.fromPem(pem).verify(token, NOW).runId()).isEqualTo("run-1");
      assertThat(RunTokenVerifier.fromPem(base64).verifyFor(token, "run-1", NOW).subject()).isEqualTo("run:run-1");
    }
  }

  @Test
  void pkcs8PrivateKeyGivesTheSameKeyAsPkcs1() throws Exception {
    RunTokenIssuer pkcs8 = RunTokenIssuer.fromPrivateKeyPem(resource("rsa-private-pkcs8.pem"));
    assertThat(pkcs8.publicKey()).isEqualTo(fixtureIssuer().publicKey());
  }

  @Test
  void exportedPemsMatchOpenssl() throws Exception {
    RunTokenIssuer issuer = fixtureIssuer();
    assertThat(RsaPem.pkcs1(issuer.publicKey())).isEqualToIgnoringNewLines(resource("rsa-public-pkcs1.pem"));
    assertThat(RsaPem.spki(issuer.publicKey())).isEqualToIgnoringNewLines(resource("rsa-public-spki.pem"));
    assertThat(RsaPem.pkcs8(issuer.privateKey())).isEqualToIgnoringNewLines(resource("rsa-private-pkcs8.pem"));
  }

  @Test
  void generatedKeysRoundTripThroughTheirPems() throws Exception {
    RunTokenIssuer issuer = RunTokenIssuer.generate();
    String token = issuer.mint("r", NOW, Duration.ofMinutes(1));
    assertThat(RunTokenVerifier.fromPem(RsaPem.pkcs1(issuer.publicKey())).verify(token, NOW).runId()).isEqualTo("r");
    assertThat(RunTokenIssuer.fromPrivateKeyPem(RsaPem.pkcs8(issuer.privateKey())).publicKey())
        .isEqualTo(issuer.publicKey());
  }

  @Test
  void expiryAndNotBeforeHaveFiveSecondsOfTolerance() throws Exception {
    RunTokenVerifier verifier = fixtureIssuer().verifier();
    String token = fixtureIssuer().mint("r", NOW, Duration.ofSeconds(60));
    assertThat(verifier.verify(token, NOW.minusSeconds(4)).runId()).isEqualTo("r");
    assertThatThrownBy(() -> verifier.verify(token, NOW.minusSeconds(6))).hasMessageContaining("not valid before");
    assertThat(verifier.verify(token, NOW.plusSeconds(64)).runId()).isEqualTo("r");
    assertThatThrownBy(() -> verifier.verify(token, NOW.plusSeconds(66))).hasMessageContaining("expired");
  }

  @Test
  void rejectsAnotherKeyAnotherIssuerAnotherRunAndGarbage() throws Exception {
    RunTokenVerifier verifier = fixtureIssuer().verifier();
    String foreign = RunTokenIssuer.generate().mint("r", NOW, Duration.ofMinutes(1));
    assertThatThrownBy(() -> verifier.verify(foreign, NOW)).isInstanceOf(TokenException.class).hasMessageContaining("signature");

    SignedJWT wrongIssuer = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256),
        new JWTClaimsSet.Builder().issuer("Someone").claim("id", "r").expirationTime(Date.from(NOW.plusSeconds(60))).build());
    wrongIssuer.sign(new RSASSASigner(fixtureIssuer().privateKey()));
    assertThatThrownBy(() -> verifier.verify(wrongIssuer.serialize(), NOW)).hasMessageContaining("issuer");

    String token = fixtureIssuer().mint("r", NOW, Duration.ofMinutes(1));
    assertThatThrownBy(() -> verifier.verifyFor(token, "other", NOW)).hasMessageContaining("issued for run r");
    assertThatThrownBy(() -> verifier.verify("x.y.z", NOW)).isInstanceOf(TokenException.class);
  }

  @Test
  void badKeyInputsSayWhatIsWrong() {
    assertThatThrownBy(() -> RunTokenVerifier.fromPem("")).hasMessageContaining("no public key");
    assertThatThrownBy(() -> RunTokenVerifier.fromPem("%%%")).hasMessageContaining("neither PEM text nor base64");
    assertThatThrownBy(() -> RunTokenVerifier.fromPem(Base64.getEncoder().encodeToString("hello".getBytes())))
        .hasMessageContaining("no PEM block");
    assertThatThrownBy(() -> RunTokenVerifier.fromPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"))
        .hasMessageContaining("got BEGIN CERTIFICATE");
  }
}
