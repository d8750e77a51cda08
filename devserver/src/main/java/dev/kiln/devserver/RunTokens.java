package dev.kiln.devserver;

import dev.kiln.lightning.token.RsaPem;
import dev.kiln.lightning.token.RunTokenIssuer;
import dev.kiln.lightning.token.RunTokenVerifier;
import dev.kiln.lightning.token.TokenException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The dev server's run tokens (RS256, claims as Lightning's {@code generate_run_token}). The key
 * pair is generated at first start and kept in the database, so tokens and the worker's
 * {@code --lightning-public-key} stay valid across restarts.
 */
final class RunTokens {
  private final RunTokenIssuer issuer;
  private final RunTokenVerifier verifier;

  private RunTokens(RunTokenIssuer issuer) {
    this.issuer = issuer;
    this.verifier = issuer.verifier();
  }

  static RunTokens load(Database database) {
    String pem = database.setting("run_private_key_pem", () -> RsaPem.pkcs8(RunTokenIssuer.generate().privateKey()));
    try {
      return new RunTokens(RunTokenIssuer.fromPrivateKeyPem(pem));
    } catch (TokenException e) {
      throw new IllegalStateException("The stored run-token key is unreadable: " + e.getMessage(), e);
    }
  }

  String issue(String runId, Duration validity) {
    return issuer.mint(runId, Instant.now(), validity);
  }

  /** The run id of a valid run token whose subject is {@code run:<id>}. */
  Optional<String> verifiedRunId(String token) {
    if (token == null || token.isBlank()) {
      return Optional.empty();
    }
    try {
      var claims = verifier.verify(token, Instant.now());
      return claims.runId() != null && ("run:" + claims.runId()).equals(claims.subject())
          ? Optional.of(claims.runId()) : Optional.empty();
    } catch (TokenException e) {
      return Optional.empty();
    }
  }

  /** Base64 of the SPKI PEM public key: the worker's {@code --lightning-public-key} value. */
  String publicKeyBase64() {
    return Base64.getEncoder().encodeToString(RsaPem.spki(issuer.publicKey()).getBytes(StandardCharsets.US_ASCII));
  }
}
