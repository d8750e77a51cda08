package dev.kiln.engine.install;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes planned packages into the repo. Each package that lands in a folder not itself being
 * written is assembled completely (with the new packages nested inside it) in a staging folder
 * inside the repo, then renamed into place in one atomic step; the planned root (the aliased
 * adaptor) is renamed last. A crash therefore leaves only complete packages behind, which a
 * later install reuses or repairs, and a staging folder, which it deletes.
 */
final class PackageTreeWriter {
  static final String STAGING_PREFIX = ".kiln-staging-";

  private final Path repo;

  PackageTreeWriter(Path repo) {
    this.repo = repo;
  }

  /** Deletes staging folders left by an interrupted install. Call with the repo lock held. */
  void removeLeftovers() throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(repo, STAGING_PREFIX + "*")) {
      for (Path leftover : entries) {
        deleteTree(leftover);
      }
    }
  }

  /**
   * Writes {@code placements} (the first one is the root) with the verified tarballs in {@code
   * tarballs}. Call with the repo lock held.
   */
  void write(List<InstallPlanner.Placement> placements, Map<Path, Path> tarballs) throws IOException {
    Path staging = repo.resolve(STAGING_PREFIX + UUID.randomUUID());
    Files.createDirectories(staging);
    try {
      List<InstallPlanner.Placement> tops = new ArrayList<>();
      for (InstallPlanner.Placement p : placements) {
        if (placements.stream().noneMatch(other -> other != p && p.folder().startsWith(other.folder()))) {
          tops.add(p);
        }
      }
      // dependencies before their dependents: reverse planning order puts the root last
      for (int i = tops.size() - 1; i >= 0; i--) {
        InstallPlanner.Placement top = tops.get(i);
        Path assembled = staging.resolve("p" + i);
        List<InstallPlanner.Placement> inside = placements.stream()
            .filter(p -> p.folder().startsWith(top.folder()))
            .sorted(Comparator.comparingInt(p -> p.folder().getNameCount()))
            .toList();
        for (InstallPlanner.Placement p : inside) {
          Path target = assembled.resolve(top.folder().relativize(p.folder()).toString());
          if (Files.exists(target)) {
            deleteTree(target); // a bundled copy in the parent's tarball: the planned one wins
          }
          unpack(tarballs.get(p.folder()), target, p.manifest());
        }
        Files.createDirectories(top.folder().getParent());
        if (Files.exists(top.folder())) {
          Path replaced = staging.resolve("old" + i);
          Files.move(top.folder(), replaced, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(assembled, top.folder(), StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      deleteTree(staging);
    }
  }

  private static void unpack(Path tgz, Path target, PackageManifest manifest) throws IOException {
    try {
      TarballExtractor.extract(tgz, target);
    } catch (IOException e) {
      throw new IOException("cannot unpack " + manifest.id() + ": " + e.getMessage(), e);
    }
    if (!Files.isRegularFile(target.resolve("package.json"))) {
      throw new IOException("the tarball of " + manifest.id() + " has no package.json");
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
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
        if (e != null) throw e;
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
