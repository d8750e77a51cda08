package dev.kiln.lightning.token;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;

/** The few DER encodings needed to wrap PKCS#1 RSA keys into SPKI / PKCS#8 structures. */
final class Der {
  /** {@code SEQUENCE { OID 1.2.840.113549.1.1.1 (rsaEncryption), NULL }}. */
  static final byte[] RSA_ALGORITHM_IDENTIFIER = {
    0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
    0x01, 0x05, 0x00
  };

  private Der() {}

  static byte[] sequence(byte[]... elements) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] element : elements) {
      content.writeBytes(element);
    }
    return tagged(0x30, content.toByteArray());
  }

  static byte[] integer(BigInteger value) {
    return tagged(0x02, value.toByteArray());
  }

  static byte[] bitString(byte[] bytes) {
    byte[] content = new byte[bytes.length + 1]; // leading byte: no unused bits
    System.arraycopy(bytes, 0, content, 1, bytes.length);
    return tagged(0x03, content);
  }

  static byte[] octetString(byte[] bytes) {
    return tagged(0x04, bytes);
  }

  private static byte[] tagged(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      byte[] lengthBytes = BigInteger.valueOf(length).toByteArray();
      int start = lengthBytes[0] == 0 ? 1 : 0;
      out.write(0x80 | (lengthBytes.length - start));
      out.write(lengthBytes, start, lengthBytes.length - start);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}
