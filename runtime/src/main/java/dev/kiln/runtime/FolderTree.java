package dev.kiln.runtime;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Deletes a folder, or what is in it, without following links out of it. */
public final class FolderTree {
  private FolderTree() {}

  /** Deletes {@code root} and its contents; nothing happens when it does not exist. */
  public static void delete(Path root) throws IOException {
    delete(root, true);
  }

  /** Deletes what is in {@code root} and keeps the folder itself. */
  public static void deleteContents(Path root) throws IOException {
    delete(root, false);
  }

  private static void delete(Path root, boolean withRoot) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        if (withRoot || !dir.equals(root)) {
          Files.delete(dir);
        }
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
