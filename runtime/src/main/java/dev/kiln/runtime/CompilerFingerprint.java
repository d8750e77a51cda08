package dev.kiln.runtime;

import dev.kiln.compiler.JobCompiler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The version of the compiler for the compile cache: the SHA-256 of the compiler's own code (its
 * jar, or every file of its classes folder in a development build), so any change to the compiler,
 * released or not, makes every cached step a miss. A version string would not: development builds
 * all say "dev".
 */
final class CompilerFingerprint {
  private CompilerFingerprint() {}

  /** The fingerprint of the compiler on this class path, or null when its code cannot be read (no cache then). */
  static String current() {
    return Holder.CURRENT;
  }

  private static final class Holder {
    static final String CURRENT = compute();
  }

  private static String compute() {
    try {
      CodeSource source = JobCompiler.class.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return null;
      }
      return of(Path.of(source.getLocation().toURI()));
    } catch (URISyntaxException | IOException | UncheckedIOException | IllegalArgumentException | SecurityException e) {
      return null;
    }
  }

  /** The SHA-256 of a jar, or of the relative paths and contents of every file in a folder. */
  static String of(Path location) throws IOException {
    MessageDigest sha = CacheFolder.sha256();
    if (Files.isDirectory(location)) {
      List<Path> files;
      try (Stream<Path> walk = Files.walk(location)) {
        files = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path file : files) {
        sha.update(location.relativize(file).toString().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(java.nio.ByteBuffer.allocate(8).putLong(0, Files.size(file)));
        digest(file, sha);
      }
    } else {
      digest(location, sha);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static void digest(Path file, MessageDigest sha) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
  }
}
