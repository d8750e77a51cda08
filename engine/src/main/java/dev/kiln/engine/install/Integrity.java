package dev.kiln.engine.install;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The expected digest of a tarball: the strongest hash of a Subresource Integrity string
 * ({@code dist.integrity}, e.g. {@code sha512-<base64>}, several space-separated entries
 * allowed), else the legacy hex {@code dist.shasum} (sha1). Any entry of the chosen algorithm
 * may match, as in npm's {@code ssri}.
 */
record Integrity(String algorithm, List<byte[]> digests) {

  private static final List<String> BY_STRENGTH = List.of("sha512", "sha384", "sha256", "sha1");

  static Integrity of(String sri, String shasum) throws IllegalArgumentException {
    if (sri != null && !sri.isBlank()) {
      for (String algorithm : BY_STRENGTH) {
        List<byte[]> digests = new ArrayList<>();
        for (String entry : sri.strip().split("\\s+")) {
          int dash = entry.indexOf('-');
          if (dash > 0 && entry.substring(0, dash).toLowerCase(Locale.ROOT).equals(algorithm)) {
            String base64 = entry.substring(dash + 1);
            int options = base64.indexOf('?');
            digests.add(Base64.getDecoder().decode(options < 0 ? base64 : base64.substring(0, options)));
          }
        }
        if (!digests.isEmpty()) {
          return new Integrity(algorithm, List.copyOf(digests));
        }
      }
    }
    if (shasum != null && shasum.strip().matches("[0-9a-fA-F]{40}")) {
      return new Integrity("sha1", List.of(HexFormat.of().parseHex(shasum.strip().toLowerCase(Locale.ROOT))));
    }
    throw new IllegalArgumentException(
        "no usable dist.integrity (" + sri + ") or dist.shasum (" + shasum + ")");
  }

  MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance(
          switch (algorithm) {
            case "sha512" -> "SHA-512";
            case "sha384" -> "SHA-384";
            case "sha256" -> "SHA-256";
            default -> "SHA-1";
          });
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException(impossible); // every JDK has these
    }
  }

  boolean matches(byte[] actual) {
    return digests.stream().anyMatch(d -> MessageDigest.isEqual(d, actual));
  }

  /** A file name for the tarball in the disk cache: {@code <algorithm>-<hex of the first digest>}. */
  String cacheKey() {
    return algorithm + "-" + HexFormat.of().formatHex(digests.get(0));
  }

  /** The SRI form of a computed digest, for messages. */
  String describe(byte[] actual) {
    return algorithm + "-" + Base64.getEncoder().encodeToString(actual);
  }

  @Override
  public String toString() {
    return algorithm + "-" + Base64.getEncoder().encodeToString(digests.get(0));
  }
}
