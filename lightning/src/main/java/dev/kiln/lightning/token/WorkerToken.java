package dev.kiln.lightning.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.lightning.protocol.LightningJson;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The worker's socket token (spec §1.2): a JWT signed HS256 with the UTF-8 bytes of {@code
 * WORKER_SECRET}, protected header exactly {@code {"alg":"HS256"}}, claims {@code worker_id},
 * {@code iat} (seconds) and {@code iss: "urn:openfn:worker"}, no expiry.
 *
 * <p>Signed by hand rather than with nimbus' {@code MACSigner}, which refuses secrets shorter
 * than 256 bits: Lightning (Joken) accepts any secret, and so must the worker.
 */
public final class WorkerToken {
  public static final String ISSUER = "urn:openfn:worker";

  /** The key the reference uses when no secret is configured (with a warning). */
  public static final String DEFAULT_SECRET = "<secret>";

  private static final String HEADER = "{\"alg\":\"HS256\"}";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

  /** The claims of a verified worker token. */
  public record Claims(String workerId, long issuedAt) {}

  private WorkerToken() {}

  /** Mints a token for {@code workerId} issued at {@code now}; a null/empty secret is {@link #DEFAULT_SECRET}. */
  public static String mint(String secret, String workerId, Instant now) {
    ObjectNode claims = LightningJson.mapper().createObjectNode();
    claims.put("worker_id", workerId);
    claims.put("iat", now.getEpochSecond());
    claims.put("iss", ISSUER);
    String signingInput =
        B64.encodeToString(HEADER.getBytes(StandardCharsets.UTF_8))
            + "."
            + B64.encodeToString(LightningJson.write(claims).getBytes(StandardCharsets.UTF_8));
    return signingInput + "." + B64.encodeToString(hmac(secret, signingInput));
  }

  /**
   * Verifies a token as Lightning does: HS256 signature with {@code secret}, claims {@code iss},
   * {@code iat} and {@code worker_id} present, {@code iss} = {@value #ISSUER}, {@code nbf} (if
   * present) not in the future.
   */
  public static Claims verify(String token, String secret, Instant now) throws TokenException {
    String[] parts = token == null ? new String[0] : token.split("\\.", -1);
    if (parts.length != 3) {
      throw new TokenException("worker token is not a JWT (expected three dot-separated parts)");
    }
    JsonNode header = decodeJson(parts[0], "header");
    if (!"HS256".equals(header.path("alg").asText())) {
      throw new TokenException("worker token must be signed HS256, not " + header.path("alg"));
    }
    byte[] signature;
    try {
      signature = B64_DECODER.decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new TokenException("worker token signature is not base64url", e);
    }
    if (!MessageDigest.isEqual(signature, hmac(secret, parts[0] + "." + parts[1]))) {
      throw new TokenException("worker token signature does not match the worker secret");
    }
    JsonNode claims = decodeJson(parts[1], "claims");
    for (String required : new String[] {"iss", "iat", "worker_id"}) {
      if (!claims.hasNonNull(required)) {
        throw new TokenException("worker token has no " + required + " claim");
      }
    }
    if (!ISSUER.equals(claims.path("iss").asText())) {
      throw new TokenException("worker token issuer is " + claims.get("iss") + ", expected " + ISSUER);
    }
    if (claims.has("nbf") && claims.path("nbf").asLong() > now.getEpochSecond()) {
      throw new TokenException("worker token is not valid yet (nbf in the future)");
    }
    return new Claims(claims.path("worker_id").asText(), claims.path("iat").asLong());
  }

  private static JsonNode decodeJson(String part, String what) throws TokenException {
    try {
      return LightningJson.parse(new String(B64_DECODER.decode(part), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new TokenException("worker token " + what + " is not base64url JSON", e);
    }
  }

  private static byte[] hmac(String secret, String signingInput) {
    String key = secret == null || secret.isEmpty() ? DEFAULT_SECRET : secret;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }
}
