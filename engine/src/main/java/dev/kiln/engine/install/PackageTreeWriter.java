package dev.kiln.engine.install;

import dev.kiln.runtime.FolderTree;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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
        FolderTree.delete(leftover);
      }
    }
  }

  /**
   * Writes {@code placements} (the first one is the root) with the verified tarballs in {@code
   * tarballs}. Packages are unpacked in parallel, then renamed into place one by one,
   * dependencies first. Call with the repo lock held.
   */
  void write(List<InstallPlanner.Placement> placements, Map<Path, Path> tarballs)
      throws IOException, InterruptedException {
    Path staging = repo.resolve(STAGING_PREFIX + UUID.randomUUID());
    Files.createDirectories(staging);
    try {
      List<InstallPlanner.Placement> tops = new ArrayList<>();
      for (InstallPlanner.Placement p : placements) {
        if (placements.stream().noneMatch(other -> other != p && p.folder().startsWith(other.folder()))) {
          tops.add(p);
        }
      }
      List<Future<Path>> assembled = new ArrayList<>();
      int threads = Math.min(tops.size(), Math.max(2, Runtime.getRuntime().availableProcessors()));
      try (ExecutorService workers = Executors.newFixedThreadPool(threads)) {
        for (int i = 0; i < tops.size(); i++) {
          InstallPlanner.Placement top = tops.get(i);
          Path folder = staging.resolve("p" + i);
          assembled.add(workers.submit(() -> assemble(top, placements, tarballs, folder)));
        }
        for (Future<Path> job : assembled) {
          try {
            job.get();
          } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
          }
        }
      }
      // dependencies before their dependents: reverse planning order puts the root last
      for (int i = tops.size() - 1; i >= 0; i--) {
        Path target = tops.get(i).folder();
        Files.createDirectories(target.getParent());
        if (Files.exists(target)) {
          Files.move(target, staging.resolve("old" + i), StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(staging.resolve("p" + i), target, StandardCopyOption.ATOMIC_MOVE);
      }
    } finally {
      FolderTree.delete(staging);
    }
  }

  /** Unpacks {@code top} into {@code folder}, with the new packages planned inside it. */
  private static Path assemble(InstallPlanner.Placement top, List<InstallPlanner.Placement> placements,
      Map<Path, Path> tarballs, Path folder) throws IOException {
    List<InstallPlanner.Placement> inside = placements.stream()
        .filter(p -> p.folder().startsWith(top.folder()))
        .sorted(Comparator.comparingInt(p -> p.folder().getNameCount()))
        .toList();
    for (InstallPlanner.Placement p : inside) {
      Path target = folder.resolve(top.folder().relativize(p.folder()).toString());
      if (Files.exists(target)) {
        FolderTree.delete(target); // a bundled copy in the parent's tarball: the planned one wins
      }
      unpack(tarballs.get(p.folder()), target, p.manifest());
    }
    return folder;
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
}
