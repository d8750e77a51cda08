package dev.kiln.lightning.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Verifies run tokens (spec §2.4): RS256 signature with Lightning's public key, issuer {@code
 * Lightning}, {@code exp}/{@code nbf} with 5 s clock tolerance, as the reference's {@code
 * jose.jwtVerify(token, key, {issuer: 'Lightning', clockTolerance: '5s'})}. Thread-safe.
 */
public final class RunTokenVerifier {
  public static final Duration CLOCK_TOLERANCE = Duration.ofSeconds(5);

  private final RSASSAVerifier verifier;

  public RunTokenVerifier(RSAPublicKey publicKey) {
    this.verifier = new RSASSAVerifier(publicKey);
  }

  /** From {@code --lightning-public-key}: SPKI or PKCS#1 PEM, as text or base64 of the text. */
  public static RunTokenVerifier fromPem(String pemOrBase64Pem) throws TokenException {
    return new RunTokenVerifier(RsaPem.publicKey(pemOrBase64Pem));
  }

  /** Verifies the token; the {@code id} claim is not compared to anything (as the reference). */
  public RunTokenClaims verify(String token, Instant now) throws TokenException {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | NullPointerException e) {
      throw new TokenException("run token is not a signed JWT", e);
    }
    if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
      throw new TokenException("run token must be signed RS256, not " + jwt.getHeader().getAlgorithm());
    }
    try {
      if (!jwt.verify(verifier)) {
        throw new TokenException("run token signature does not match the Lightning public key");
      }
    } catch (JOSEException e) {
      throw new TokenException("run token signature cannot be checked: " + e.getMessage(), e);
    }
    if (!RunTokenIssuer.ISSUER.equals(claims.getIssuer())) {
      throw new TokenException("run token issuer is " + claims.getIssuer() + ", expected " + RunTokenIssuer.ISSUER);
    }
    Date exp = claims.getExpirationTime();
    if (exp != null && !now.minus(CLOCK_TOLERANCE).isBefore(exp.toInstant())) {
      throw new TokenException("run token expired at " + exp.toInstant());
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && now.plus(CLOCK_TOLERANCE).isBefore(nbf.toInstant())) {
      throw new TokenException("run token is not valid before " + nbf.toInstant());
    }
    Object id = claims.getClaim("id");
    return new RunTokenClaims(id == null ? null : id.toString(), claims.getSubject(),
        exp == null ? null : exp.toInstant());
  }

  /** Verifies the token and that it was issued for {@code runId} (as Lightning does on join). */
  public RunTokenClaims verifyFor(String token, String runId, Instant now) throws TokenException {
    RunTokenClaims claims = verify(token, now);
    if (!runId.equals(claims.runId())) {
      throw new TokenException("run token was issued for run " + claims.runId() + ", not " + runId);
    }
    return claims;
  }
}
