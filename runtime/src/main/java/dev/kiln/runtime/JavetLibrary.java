package dev.kiln.runtime;

import com.caoccao.javet.enums.JSRuntimeType;
import com.caoccao.javet.interop.loader.IJavetLibLoadingListener;
import com.caoccao.javet.interop.loader.JavetLibLoader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Javet's native library, extracted once per machine into
 * {@code ${XDG_CACHE_HOME:-~/.cache}/kiln/javet-<version>/} and loaded from there by every run
 * process (Javet's default extracts 70 MB into a fresh temp folder per process). Concurrent first
 * starts are safe: extraction happens under a file lock into a temp file that is atomically renamed.
 */
final class JavetLibrary {
  private JavetLibrary() {}

  static Path cacheDir() {
    String override = System.getProperty("kiln.javet.cache");
    if (override != null) {
      return Path.of(override);
    }
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("kiln").resolve("javet-" + JavetLibLoader.LIB_VERSION);
  }

  /**
   * Makes sure the library is in the cache folder and tells Javet to load it from there. If the
   * cache folder cannot be written (a read-only home), a per-user folder under {@code java.io.tmpdir}
   * is used instead.
   */
  static void install() {
    Path dir;
    try {
      dir = prepare(cacheDir());
    } catch (IOException e) {
      Path fallback = Path.of(System.getProperty("java.io.tmpdir"),
          "kiln-javet-" + JavetLibLoader.LIB_VERSION + "-" + System.getProperty("user.name"));
      System.err.println("kiln: cannot use " + cacheDir() + " for the Javet library (" + e + "); using " + fallback);
      try {
        dir = prepare(fallback);
      } catch (IOException again) {
        throw new UncheckedIOException("cannot prepare the Javet native library in " + fallback, again);
      }
    }
    File libDir = dir.toFile();
    JavetLibLoader.setLibLoadingListener(
        new IJavetLibLoadingListener() {
          @Override
          public File getLibPath(JSRuntimeType jsRuntimeType) {
            return libDir;
          }

          @Override
          public boolean isDeploy(JSRuntimeType jsRuntimeType) {
            return false;
          }
        });
  }

  /** Extracts the library into {@code dir} unless it is there already; returns {@code dir}. */
  private static Path prepare(Path dir) throws IOException {
    JavetLibLoader loader = new JavetLibLoader(JSRuntimeType.Node);
    String fileName;
    String resource;
    try {
      fileName = loader.getLibFileName();
      resource = loader.getResourceFileName();
    } catch (com.caoccao.javet.exceptions.JavetException e) {
      throw new IllegalStateException("Javet does not support this platform: " + e.getMessage(), e);
    }
    Path lib = dir.resolve(fileName);
    if (!Files.isRegularFile(lib)) {
      extract(dir, lib, resource.startsWith("/") ? resource : "/" + resource);
    }
    return dir;
  }

  private static void extract(Path dir, Path lib, String resource) throws IOException {
    Files.createDirectories(dir);
    try (FileChannel lockFile =
            FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = lockFile.lock()) {
      if (Files.isRegularFile(lib)) {
        return; // another process extracted it while we waited
      }
      Path tmp = Files.createTempFile(dir, lib.getFileName().toString(), ".part");
      try (InputStream in = JavetLibLoader.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IOException("the Javet native library " + resource + " is not on the classpath");
        }
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
