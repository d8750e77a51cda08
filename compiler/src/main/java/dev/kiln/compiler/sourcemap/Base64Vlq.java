package dev.kiln.compiler.sourcemap;

/** The base64 variable-length quantities of source map v3 {@code mappings}. */
final class Base64Vlq {
  private static final char[] DIGITS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

  private Base64Vlq() {}

  /** Appends {@code value} as VLQ: sign in the lowest bit, 5 bits per digit, continuation bit 32. */
  static void append(StringBuilder out, int value) {
    long vlq = value < 0 ? ((-(long) value) << 1) | 1 : ((long) value) << 1;
    do {
      int digit = (int) (vlq & 31);
      vlq >>>= 5;
      if (vlq > 0) {
        digit |= 32;
      }
      out.append(DIGITS[digit]);
    } while (vlq > 0);
  }
}
