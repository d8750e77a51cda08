package dev.kiln.lightning.token;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RSA keys in PEM: SPKI ({@code BEGIN PUBLIC KEY}, Lightning's {@code mix
 * lightning.gen_worker_keys}), PKCS#1 ({@code BEGIN RSA PUBLIC KEY} / {@code BEGIN RSA PRIVATE
 * KEY}, lightning-mock's {@code generateKeys()}) and PKCS#8 ({@code BEGIN PRIVATE KEY}). Input may
 * be the PEM text or, as {@code WORKER_LIGHTNING_PUBLIC_KEY} is, the base64 of the PEM text.
 */
public final class RsaPem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

  private RsaPem() {}

  public static RSAPublicKey publicKey(String pemOrBase64Pem) throws TokenException {
    Block block = block(pemOrBase64Pem, "public key");
    byte[] spki =
        switch (block.type()) {
          case "PUBLIC KEY" -> block.der();
          case "RSA PUBLIC KEY" -> Der.sequence(Der.RSA_ALGORITHM_IDENTIFIER, Der.bitString(block.der()));
          default -> throw new TokenException(
              "expected an RSA public key (BEGIN PUBLIC KEY or BEGIN RSA PUBLIC KEY), got BEGIN "
                  + block.type());
        };
    try {
      return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new TokenException("the " + block.type() + " PEM is not a valid RSA public key: " + e.getMessage(), e);
    }
  }

  public static RSAPrivateKey privateKey(String pemOrBase64Pem) throws TokenException {
    Block block = block(pemOrBase64Pem, "private key");
    byte[] pkcs8 =
        switch (block.type()) {
          case "PRIVATE KEY" -> block.der();
          case "RSA PRIVATE KEY" -> Der.sequence(
              Der.integer(BigInteger.ZERO), Der.RSA_ALGORITHM_IDENTIFIER, Der.octetString(block.der()));
          default -> throw new TokenException(
              "expected an RSA private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY), got BEGIN "
                  + block.type());
        };
    try {
      return (RSAPrivateKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new TokenException("the " + block.type() + " PEM is not a valid RSA private key: " + e.getMessage(), e);
    }
  }

  /** SPKI PEM ({@code BEGIN PUBLIC KEY}), as Lightning's key generator writes. */
  public static String spki(RSAPublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  /** PKCS#1 PEM ({@code BEGIN RSA PUBLIC KEY}), as lightning-mock writes. */
  public static String pkcs1(RSAPublicKey key) {
    return pem(
        "RSA PUBLIC KEY",
        Der.sequence(Der.integer(key.getModulus()), Der.integer(key.getPublicExponent())));
  }

  /** PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
  public static String pkcs8(RSAPrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  private static String pem(String type, byte[] der) {
    String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
  }

  private record Block(String type, byte[] der) {}

  private static Block block(String input, String what) throws TokenException {
    if (input == null || input.isBlank()) {
      throw new TokenException("no " + what + " given");
    }
    String pem = input;
    if (!input.contains("-----BEGIN")) {
      try {
        pem = new String(Base64.getDecoder().decode(input.replaceAll("\\s", "")), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new TokenException(
            "the " + what + " is neither PEM text nor base64 of PEM text (" + e.getMessage() + ")", e);
      }
    }
    Matcher m = BLOCK.matcher(pem);
    if (!m.find()) {
      throw new TokenException(
          "the " + what + " has no PEM block (-----BEGIN ...----- / -----END ...-----); "
              + "give the PEM text or the base64 of it");
    }
    try {
      return new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2).strip()));
    } catch (IllegalArgumentException e) {
      throw new TokenException("the " + what + " PEM body is not valid base64: " + e.getMessage(), e);
    }
  }
}
