package dev.kiln.lightning.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Mints run tokens as Lightning does ({@code Workers.generate_run_token}): RS256, claims {@code
 * iss: "Lightning"}, {@code id}, {@code sub: "run:<id>"}, {@code nbf: now}, {@code exp: now +
 * validity}. For the dev server and tests; a worker never mints run tokens. Thread-safe.
 */
public final class RunTokenIssuer {
  public static final String ISSUER = "Lightning";

  private final RSAPrivateKey privateKey;
  private final RSAPublicKey publicKey;
  private final RSASSASigner signer;

  public RunTokenIssuer(RSAPrivateKey privateKey, RSAPublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.signer = new RSASSASigner(privateKey);
  }

  /** A fresh 2048-bit key pair. */
  public static RunTokenIssuer generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      var pair = generator.generateKeyPair();
      return new RunTokenIssuer((RSAPrivateKey) pair.getPrivate(), (RSAPublicKey) pair.getPublic());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is not available in this JVM", e);
    }
  }

  /**
   * From a private key PEM ({@code WORKER_RUNS_PRIVATE_KEY}: PKCS#1 or PKCS#8, text or base64);
   * the public key is derived from it.
   */
  public static RunTokenIssuer fromPrivateKeyPem(String pemOrBase64Pem) throws TokenException {
    RSAPrivateKey key = RsaPem.privateKey(pemOrBase64Pem);
    if (!(key instanceof RSAPrivateCrtKey crt)) {
      throw new TokenException("the private key has no public exponent (not a CRT key); use a PKCS#1 or PKCS#8 RSA key");
    }
    try {
      RSAPublicKey pub =
          (RSAPublicKey)
              java.security.KeyFactory.getInstance("RSA")
                  .generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
      return new RunTokenIssuer(key, pub);
    } catch (java.security.GeneralSecurityException e) {
      throw new TokenException("cannot derive the public key: " + e.getMessage(), e);
    }
  }

  public String mint(String runId, Instant now, Duration validity) {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .claim("id", runId)
            .subject("run:" + runId)
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(validity)))
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a run token: " + e.getMessage(), e);
    }
    return jwt.serialize();
  }

  public RSAPublicKey publicKey() {
    return publicKey;
  }

  public RSAPrivateKey privateKey() {
    return privateKey;
  }

  public RunTokenVerifier verifier() {
    return new RunTokenVerifier(publicKey);
  }
}
