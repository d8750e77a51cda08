package dev.kiln.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * A folder of checked entries shared by run processes: one file per key, written whole into a
 * temporary file and renamed into place, read back only when its header, its key and the SHA-256
 * of its content match; the least recently used entries are deleted once the folder holds more
 * than {@code maxBytes}. Nothing here ever throws: an entry that is missing, unreadable, truncated
 * or corrupt is a miss, a write that fails is skipped (one line on stderr).
 *
 * <p>Entry file: {@code "kiln-cache 1\n"}, the SHA-256 of the rest (32 bytes), then the rest:
 * the key's length (int) and UTF-8 bytes, then the payload.
 */
final class CacheFolder {
  private static final byte[] MAGIC = "kiln-cache 1\n".getBytes(StandardCharsets.US_ASCII);
  private static final int HASH_BYTES = 32;
  private static final String TEMP_PREFIX = ".tmp-";
  /** Temporary files older than this are leftovers of a process that died while writing. */
  private static final long STALE_TEMP_MILLIS = 3_600_000;

  private final Path dir;
  private final long maxBytes;
  private final PrintStream diagnostics;

  CacheFolder(Path dir, long maxBytes, PrintStream diagnostics) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.diagnostics = diagnostics;
  }

  Path dir() {
    return dir;
  }

  /** The payload stored under {@code key} (a file-name-safe string), or null: a miss. */
  ByteBuffer read(String key) {
    Path file = dir.resolve(key);
    byte[] content;
    try (SeekableByteChannel channel = Files.newByteChannel(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
      long size = channel.size();
      if (size < MAGIC.length + HASH_BYTES + 4 || size > maxBytes) {
        return corrupt(file, "its size " + size + " is impossible");
      }
      content = new byte[(int) size];
      ByteBuffer target = ByteBuffer.wrap(content);
      while (target.hasRemaining() && channel.read(target) >= 0) {
        // read it all
      }
      if (target.hasRemaining()) {
        return corrupt(file, "it is shorter than its size");
      }
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | RuntimeException e) {
      return corrupt(file, e.toString());
    }
    ByteBuffer entry = ByteBuffer.wrap(content);
    if (!Arrays.equals(content, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return corrupt(file, "its header is wrong");
    }
    int restStart = MAGIC.length + HASH_BYTES;
    MessageDigest sha = sha256();
    sha.update(content, restStart, content.length - restStart);
    if (!MessageDigest.isEqual(sha.digest(), Arrays.copyOfRange(content, MAGIC.length, restStart))) {
      return corrupt(file, "its content does not match its SHA-256");
    }
    entry.position(restStart);
    int keyLength = entry.getInt();
    if (keyLength < 0 || keyLength > entry.remaining()
        || !key.equals(new String(content, entry.position(), keyLength, StandardCharsets.UTF_8))) {
      return corrupt(file, "it is stored under another key");
    }
    entry.position(entry.position() + keyLength);
    try {
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException | RuntimeException e) {
      // only the eviction order suffers
    }
    return entry.slice();
  }

  /** Stores {@code payload} under {@code key}, then evicts the oldest entries beyond the size limit. */
  void write(String key, byte[] payload) {
    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
    long size = (long) MAGIC.length + HASH_BYTES + 4 + keyBytes.length + payload.length;
    if (size > maxBytes / 4) {
      return; // one entry may not push out most of the others
    }
    MessageDigest sha = sha256();
    ByteBuffer keyLength = ByteBuffer.allocate(4).putInt(0, keyBytes.length);
    sha.update(keyLength.array());
    sha.update(keyBytes);
    sha.update(payload);
    Path temp = null;
    try {
      temp = Files.createTempFile(dir, TEMP_PREFIX, null);
      try (OutputStream out = Files.newOutputStream(temp)) {
        out.write(MAGIC);
        out.write(sha.digest());
        out.write(keyLength.array());
        out.write(keyBytes);
        out.write(payload);
      }
      Files.move(temp, dir.resolve(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temp = null;
      evict();
    } catch (IOException | RuntimeException e) {
      diagnostics.println("kiln compile cache: could not store an entry in " + dir + " (" + e + "); continuing without it");
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // a stale temporary file is deleted by a later eviction
        }
      }
    }
  }

  /** Deletes the least recently used entries until the folder holds at most 3/4 of its limit. */
  private void evict() throws IOException {
    record Entry(Path path, long size, long lastUsed) {}
    List<Entry> entries = new ArrayList<>();
    long total = 0;
    long now = System.currentTimeMillis();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        BasicFileAttributes attributes;
        try {
          attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          continue;
        }
        long lastUsed = attributes.lastModifiedTime().toMillis();
        if (file.getFileName().toString().startsWith(TEMP_PREFIX)) {
          if (now - lastUsed > STALE_TEMP_MILLIS) {
            Files.deleteIfExists(file);
          }
        } else if (attributes.isRegularFile()) {
          entries.add(new Entry(file, attributes.size(), lastUsed));
          total += attributes.size();
        }
      }
    }
    if (total <= maxBytes) {
      return;
    }
    entries.sort(Comparator.comparingLong(Entry::lastUsed));
    for (Entry entry : entries) {
      if (total <= maxBytes * 3 / 4) {
        break;
      }
      Files.deleteIfExists(entry.path());
      total -= entry.size();
    }
  }

  private ByteBuffer corrupt(Path file, String why) {
    diagnostics.println("kiln compile cache: ignoring " + file + ": " + why);
    try {
      Files.deleteIfExists(file);
    } catch (IOException | RuntimeException e) {
      // a miss either way
    }
    return null;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
