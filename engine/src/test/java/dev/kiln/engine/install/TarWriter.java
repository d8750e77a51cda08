package dev.kiln.engine.install;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Builds (gzip'd) ustar archives in tests, including the odd entries real tarballs may hold. */
final class TarWriter {
  private final ByteArrayOutputStream tar = new ByteArrayOutputStream();

  TarWriter file(String name, String content) {
    return entry(name, '0', content.getBytes(StandardCharsets.UTF_8), "", 0644);
  }

  TarWriter executable(String name, String content) {
    return entry(name, '0', content.getBytes(StandardCharsets.UTF_8), "", 0755);
  }

  TarWriter directory(String name) {
    return entry(name, '5', new byte[0], "", 0755);
  }

  TarWriter symlink(String name, String target) {
    return entry(name, '2', new byte[0], target, 0777);
  }

  TarWriter hardlink(String name, String target) {
    return entry(name, '1', new byte[0], target, 0644);
  }

  /** A file whose name is given in a pax extended header (names over 100 bytes). */
  TarWriter paxFile(String name, String content) {
    String record = " path=" + name + "\n";
    int bytes = record.getBytes(StandardCharsets.UTF_8).length;
    int total = bytes + 1;
    while (total != bytes + String.valueOf(total).length()) {
      total = bytes + String.valueOf(total).length();
    }
    String line = total + record;
    entry("PaxHeader/x", 'x', line.getBytes(StandardCharsets.UTF_8), "", 0644);
    return entry("package/placeholder-name", '0', content.getBytes(StandardCharsets.UTF_8), "", 0644);
  }

  /** A file whose name is given in a GNU long-name entry. */
  TarWriter gnuLongNameFile(String name, String content) {
    entry("././@LongLink", 'L', (name + "\0").getBytes(StandardCharsets.UTF_8), "", 0644);
    return entry(name.substring(0, Math.min(99, name.length())), '0', content.getBytes(StandardCharsets.UTF_8), "", 0644);
  }

  TarWriter corruptChecksumFile(String name, String content) {
    byte[] header = header(name, '0', content.length(), "", 0644);
    put(header, 148, 8, "000001\0 "); // a checksum no header has
    write(header, content.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  byte[] tar() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(tar.toByteArray());
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  byte[] tgz() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(tar());
      }
      return out.toByteArray();
    } catch (IOException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  private TarWriter entry(String name, char type, byte[] data, String link, int mode) {
    write(header(name, type, data.length, link, mode), data);
    return this;
  }

  private void write(byte[] header, byte[] data) {
    tar.writeBytes(header);
    tar.writeBytes(data);
    int padding = (512 - data.length % 512) % 512;
    tar.writeBytes(new byte[padding]);
  }

  private static byte[] header(String name, char type, long size, String link, int mode) {
    byte[] h = new byte[512];
    put(h, 0, 100, name);
    put(h, 100, 8, String.format("%07o", mode));
    put(h, 108, 8, "0000000");
    put(h, 116, 8, "0000000");
    put(h, 124, 12, String.format("%011o", size));
    put(h, 136, 12, "00000000000");
    h[156] = (byte) type;
    put(h, 157, 100, link);
    put(h, 257, 6, "ustar");
    put(h, 263, 2, "00");
    for (int i = 148; i < 156; i++) h[i] = ' ';
    long sum = 0;
    for (byte b : h) sum += b & 0xff;
    put(h, 148, 8, String.format("%06o", sum) + "\0 ");
    return h;
  }

  private static void put(byte[] h, int offset, int length, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(bytes, 0, h, offset, Math.min(bytes.length, length));
  }
}
