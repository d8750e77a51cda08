package dev.kiln.engine.install;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks an npm package tarball (gzip'd tar) into a folder. The first path component of every
 * entry ({@code package/} by convention) is dropped, as npm does. Safety:
 *
 * <ul>
 *   <li>an entry whose path is absolute or leaves the folder ({@code ../}) fails the whole
 *       extraction;
 *   <li>symbolic and hard links, devices and fifos are skipped (npm's own extraction skips links
 *       too), so nothing written can point outside the folder;
 *   <li>files are written with default permissions: executable bits from the tarball are not
 *       applied (Kiln never runs package binaries or scripts);
 *   <li>the unpacked size is capped ({@value #MAX_UNPACKED_BYTES} bytes).
 * </ul>
 *
 * Understands ustar, pax extended headers ({@code path}, {@code size}) and GNU long names.
 */
final class TarballExtractor {
  static final long MAX_UNPACKED_BYTES = 1L << 30;
  private static final int BLOCK = 512;
  private static final int COPY_BUFFER = 16384;

  private TarballExtractor() {}

  /** Extracts {@code tgz} into {@code target} (created if missing). */
  static void extract(Path tgz, Path target) throws IOException {
    try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)), 65536)) {
      extract(in, target);
    }
  }

  static void extract(InputStream tar, Path target) throws IOException {
    Path root = target.toAbsolutePath().normalize();
    Files.createDirectories(root);
    byte[] header = new byte[BLOCK];
    byte[] buffer = new byte[COPY_BUFFER]; // one per tarball: a package can have thousands of files
    Set<Path> folders = new HashSet<>(Set.of(root));
    long unpacked = 0;
    String longName = null;
    String paxPath = null;
    Long paxSize = null;
    while (true) {
      if (!readBlock(tar, header)) {
        return; // end of stream without the two zero blocks: accept, as tar does
      }
      if (isZero(header)) {
        return;
      }
      checkChecksum(header);
      char type = (char) header[156];
      long size = paxSize != null ? paxSize : number(header, 124, 12);
      if (size < 0) {
        throw new IOException("corrupt tar entry size");
      }
      switch (type) {
        case 'x' -> {
          byte[] pax = readData(tar, size);
          paxPath = paxValue(pax, "path");
          String paxSizeValue = paxValue(pax, "size");
          paxSize = paxSizeValue == null ? null : Long.parseLong(paxSizeValue);
          continue;
        }
        case 'L' -> {
          longName = cString(readData(tar, size), 0, (int) size);
          continue;
        }
        case 'g', 'K' -> {
          skipEntry(tar, size);
          continue;
        }
        default -> {}
      }
      String name = paxPath != null ? paxPath : longName != null ? longName : headerName(header);
      paxPath = null;
      longName = null;
      paxSize = null;
      boolean regular = type == '0' || type == '\0' || type == '7';
      if (!regular && type != '5') {
        skipEntry(tar, size); // links, devices, fifos: never created
        continue;
      }
      Path destination = destination(root, name);
      if (destination == null) {
        skipEntry(tar, size);
        continue;
      }
      if (type == '5') {
        if (folders.add(destination)) Files.createDirectories(destination);
        skipEntry(tar, size);
        continue;
      }
      unpacked += size;
      if (unpacked > MAX_UNPACKED_BYTES) {
        throw new IOException("tarball unpacks to more than " + MAX_UNPACKED_BYTES + " bytes");
      }
      if (folders.add(destination.getParent())) Files.createDirectories(destination.getParent());
      try (OutputStream out =
          Files.newOutputStream(
              destination,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        copy(tar, out, size, buffer);
      }
      tar.skipNBytes(padding(size));
    }
  }

  /**
   * Where an entry goes: its path without the first component, inside {@code root}; null for the
   * top folder itself. Fails for a path that is absolute or escapes {@code root}.
   */
  static Path destination(Path root, String entryName) throws IOException {
    String name = entryName.replace('\\', '/');
    if (name.startsWith("/") || (name.length() > 1 && name.charAt(1) == ':')) {
      throw new IOException("tarball entry has an absolute path: " + entryName);
    }
    int slash = name.indexOf('/');
    String relative = slash < 0 ? "" : name.substring(slash + 1);
    while (relative.startsWith("./")) relative = relative.substring(2);
    if (relative.isEmpty() || relative.equals(".") || relative.equals("/")) {
      return null;
    }
    Path resolved = root.resolve(relative).normalize();
    if (!resolved.startsWith(root) || resolved.equals(root)) {
      throw new IOException("tarball entry escapes the package folder: " + entryName);
    }
    return resolved;
  }

  private static String headerName(byte[] h) {
    String name = cString(h, 0, 100);
    boolean ustar = new String(h, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    String prefix = ustar ? cString(h, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static void checkChecksum(byte[] h) throws IOException {
    long expected = number(h, 148, 8);
    long unsigned = 0;
    for (int i = 0; i < BLOCK; i++) {
      unsigned += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    }
    if (expected != unsigned) {
      throw new IOException("corrupt tar header (checksum mismatch)");
    }
  }

  /** An octal field (NUL/space terminated), or a base-256 one when the high bit is set. */
  private static long number(byte[] h, int offset, int length) {
    if ((h[offset] & 0x80) != 0) {
      long v = h[offset] & 0x7f;
      for (int i = offset + 1; i < offset + length; i++) {
        v = (v << 8) | (h[i] & 0xff);
      }
      return v;
    }
    long v = 0;
    for (int i = offset; i < offset + length; i++) {
      byte b = h[i];
      if (b == 0 || b == ' ') {
        if (v != 0) break;
        continue;
      }
      if (b < '0' || b > '7') return -1;
      v = v * 8 + (b - '0');
    }
    return v;
  }

  /** The value of {@code key} in pax records {@code "<length> <key>=<value>\n"}. */
  private static String paxValue(byte[] pax, String key) throws IOException {
    int i = 0;
    while (i < pax.length) {
      int space = i;
      while (space < pax.length && pax[space] != ' ') space++;
      int length;
      try {
        length = Integer.parseInt(new String(pax, i, space - i, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new IOException("corrupt pax header");
      }
      if (length <= space - i || i + length > pax.length) {
        throw new IOException("corrupt pax header");
      }
      String record = new String(pax, space + 1, i + length - space - 1, StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq > 0 && record.substring(0, eq).equals(key)) {
        return record.substring(eq + 1).replaceAll("\n$", "");
      }
      i += length;
    }
    return null;
  }

  private static String cString(byte[] b, int offset, int length) {
    int end = offset;
    while (end < offset + length && b[end] != 0) end++;
    return new String(b, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) if (b != 0) return false;
    return true;
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    if (n == 0) return false;
    if (n < BLOCK) throw new EOFException("truncated tar header");
    return true;
  }

  private static byte[] readData(InputStream in, long size) throws IOException {
    if (size > 1 << 20) throw new IOException("tar extended header too large");
    byte[] data = in.readNBytes((int) size);
    if (data.length < size) throw new EOFException("truncated tar entry");
    in.skipNBytes(padding(size));
    return data;
  }

  private static void copy(InputStream in, OutputStream out, long size, byte[] buffer) throws IOException {
    long left = size;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) throw new EOFException("truncated tar entry");
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  private static void skipEntry(InputStream in, long size) throws IOException {
    in.skipNBytes(size + padding(size));
  }

  private static long padding(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }
}
