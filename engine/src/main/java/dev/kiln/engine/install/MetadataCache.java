package dev.kiln.engine.install;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The packuments of one installation (one {@code install}/{@code installAll} call): each package's
 * metadata is fetched once, and fetches can be started ahead of need so that a tree's
 * metadata and tarballs download in parallel (each tarball once, even when a version is placed
 * in two folders). Closing it waits for fetches still running.
 */
final class MetadataCache implements AutoCloseable {
  private final RegistryClient client;
  private final ExecutorService fetchers = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<String, CompletableFuture<Packument>> packuments = new ConcurrentHashMap<>();
  private final Map<String, Future<Path>> tarballs = new ConcurrentHashMap<>();

  MetadataCache(RegistryClient client) {
    this.client = client;
  }

  void prefetch(String name) {
    packuments.computeIfAbsent(name, n -> CompletableFuture.supplyAsync(() -> {
      try {
        return client.packument(n);
      } catch (AdaptorInstallException e) {
        throw new CompletionException(e);
      }
    }, fetchers));
  }

  Packument packument(String name) throws AdaptorInstallException {
    prefetch(name);
    try {
      return packuments.get(name).join();
    } catch (CompletionException e) {
      throw unwrap(e.getCause());
    }
  }

  /** Starts getting a verified tarball (from the disk cache or the registry) in the background. */
  void prefetchTarball(PackageManifest manifest) {
    tarballs.computeIfAbsent(manifest.id(), id -> fetchers.submit(() -> client.tarball(manifest)));
  }

  Path tarball(PackageManifest manifest) throws AdaptorInstallException, InterruptedException {
    prefetchTarball(manifest);
    try {
      return tarballs.get(manifest.id()).get();
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    }
  }

  static AdaptorInstallException unwrap(Throwable cause) {
    if (cause instanceof AdaptorInstallException e) {
      return e;
    }
    if (cause instanceof ExecutionException || cause instanceof CompletionException) {
      return unwrap(cause.getCause());
    }
    return new AdaptorInstallException("Unexpected failure while installing: " + cause, cause);
  }

  @Override
  public void close() {
    fetchers.close();
  }
}
