package dev.kiln.engine.install;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Talks to npm registries over HTTP: fetches packuments and tarballs. Tarballs are kept in a disk
 * cache named by their integrity digest, and verified against {@code dist.integrity} (or {@code
 * dist.shasum}) both after download and when read from the cache.
 *
 * <p>Every request has a deadline for the whole response, body included (a stalled connection
 * must not hold the repo lock forever); network failures, deadlines and 5xx answers are retried
 * twice. Redirects are followed here rather than by the HTTP client, so that a registry token is
 * only ever sent to the URLs it is configured for.
 */
final class RegistryClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PACKUMENT_ACCEPT =
      "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*";
  private static final int ATTEMPTS = 3;
  private static final int MAX_REDIRECTS = 5;
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
  static final Duration PACKUMENT_DEADLINE = Duration.ofMinutes(1);
  static final Duration TARBALL_DEADLINE = Duration.ofMinutes(5);
  private static final String NPMJS_HOST = RegistryConfig.NPMJS.getHost();

  private final RegistryConfig config;
  private final Path tarballCache;
  private final Duration packumentDeadline;
  private final Duration tarballDeadline;
  private final HttpClient http;

  RegistryClient(RegistryConfig config, Path tarballCache, Duration packumentDeadline, Duration tarballDeadline) {
    this.config = config;
    this.tarballCache = tarballCache;
    this.packumentDeadline = packumentDeadline;
    this.tarballDeadline = tarballDeadline;
    this.http = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER) // followed here, so credentials never leak to another host
        .connectTimeout(Duration.ofSeconds(20))
        .build();
  }

  Packument packument(String name) throws AdaptorInstallException {
    URI registry = config.registryFor(name);
    URI url = registry.resolve(name.replace("/", "%2f"));
    HttpResponse<byte[]> response =
        get(url, PACKUMENT_ACCEPT, HttpResponse.BodyHandlers.ofByteArray(), packumentDeadline, name, registry);
    int status = response.statusCode();
    if (status == 404) {
      throw new AdaptorInstallException(
          "Package " + name + " was not found in the registry " + registry + " (HTTP 404). Check the"
              + " name for typos (adaptors are named like @openfn/language-http); if it lives in"
              + " another registry, set it in .npmrc (" + scopeHint(name) + "registry=<url>).");
    }
    if (status == 401 || status == 403) {
      throw new AdaptorInstallException(
          "The registry " + registry + " refused access to " + name + " (HTTP " + status + "). If it"
              + " needs a login, add //" + registry.getAuthority() + registry.getPath()
              + ":_authToken=<token> to your .npmrc.");
    }
    if (status != 200) {
      throw new AdaptorInstallException(
          "The registry " + registry + " answered HTTP " + status + " for " + name + "; try again later"
              + " or check the registry setting (npm_config_registry, .npmrc).");
    }
    try {
      try (JsonParser json = JSON.createParser(response.body())) {
        return Packument.read(name, json);
      }
    } catch (IOException e) {
      throw new AdaptorInstallException(
          "The registry " + registry + " sent metadata for " + name + " that is not valid JSON (" + e.getMessage()
              + "); try again later or check the registry setting (npm_config_registry, .npmrc).", e);
    }
  }

  /** The verified tarball of {@code manifest}, from the disk cache or downloaded into it. */
  Path tarball(PackageManifest manifest) throws AdaptorInstallException {
    Integrity integrity;
    try {
      integrity = Integrity.of(manifest.integrity(), manifest.shasum());
    } catch (IllegalArgumentException e) {
      throw new AdaptorInstallException(
          "Cannot verify " + manifest.id() + ": the registry gives " + e.getMessage()
              + ". Kiln refuses unverifiable packages; pick another version.");
    }
    Path cached = tarballCache.resolve(integrity.cacheKey() + ".tgz");
    if (Files.isRegularFile(cached)) {
      try {
        if (integrity.matches(digest(cached, integrity))) {
          return cached;
        }
        Files.deleteIfExists(cached); // corrupted cache entry: download again
      } catch (IOException unreadable) {
        // fall through to a fresh download
      }
    }
    URI url = tarballUrl(manifest);
    URI registry = config.registryFor(manifest.name());
    Path part = tarballCache.resolve(integrity.cacheKey() + ".tgz." + UUID.randomUUID() + ".part");
    try {
      Files.createDirectories(tarballCache);
      HttpResponse<Path> response = get(url, "*/*",
          HttpResponse.BodyHandlers.ofFile(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING),
          tarballDeadline, manifest.id(), registry);
      if (response.statusCode() != 200) {
        throw new AdaptorInstallException(
            "Downloading " + manifest.id() + " from " + url + " failed with HTTP " + response.statusCode()
                + "; try again later or check the registry setting (npm_config_registry, .npmrc).");
      }
      byte[] actual = digest(part, integrity);
      if (!integrity.matches(actual)) {
        throw new AdaptorInstallException(
            "Integrity check failed for " + manifest.id() + ": the tarball downloaded from " + url
                + " has " + integrity.describe(actual) + " but the registry's metadata says " + integrity
                + ". The download was corrupted or the package was tampered with; retry, and if it"
                + " persists report it to the registry (" + registry + ").");
      }
      moveIntoPlace(part, cached);
      return cached;
    } catch (IOException e) {
      throw new AdaptorInstallException(
          "Could not download " + manifest.id() + " from " + url + " into the cache " + tarballCache
              + ": " + e, e);
    } finally {
      try {
        Files.deleteIfExists(part);
      } catch (IOException ignored) {
        // a leftover .part file is harmless
      }
    }
  }

  /**
   * The tarball URL from the manifest; like npm's default {@code replace-registry-host=npmjs}, a
   * registry.npmjs.org URL is redirected to the configured registry when that is another one.
   */
  private URI tarballUrl(PackageManifest manifest) throws AdaptorInstallException {
    URI url;
    try {
      url = URI.create(manifest.tarball());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new AdaptorInstallException(
          manifest.id() + " has no valid dist.tarball URL (" + manifest.tarball() + "); pick another version.");
    }
    if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme())) {
      throw new AdaptorInstallException(
          manifest.id() + " has a dist.tarball URL that is not http(s): " + url + "; pick another version.");
    }
    URI registry = config.registryFor(manifest.name());
    if (NPMJS_HOST.equals(url.getHost()) && !NPMJS_HOST.equals(registry.getHost())) {
      String path = url.getRawPath().startsWith("/") ? url.getRawPath().substring(1) : url.getRawPath();
      return registry.resolve(path);
    }
    return url;
  }

  /** GET with up to {@value #MAX_REDIRECTS} redirects; each hop gets only its own URL's credentials. */
  private <T> HttpResponse<T> get(URI url, String accept, HttpResponse.BodyHandler<T> body, Duration deadline,
      String what, URI registry) throws AdaptorInstallException {
    URI current = url;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpResponse<T> response = getWithRetries(current, accept, body, deadline, what, registry);
      var location = response.headers().firstValue("Location");
      if (!REDIRECTS.contains(response.statusCode()) || location.isEmpty()) {
        return response;
      }
      URI next = current.resolve(location.get());
      if ("http".equals(next.getScheme()) && "https".equals(current.getScheme())) {
        throw new AdaptorInstallException(
            "The registry " + registry + " redirected the request for " + what + " from https to " + next
                + "; refusing to downgrade. Check the registry setting (npm_config_registry, .npmrc).");
      }
      current = next;
    }
    throw new AdaptorInstallException("Too many redirects fetching " + what + " from " + url
        + "; check the registry setting (npm_config_registry, .npmrc).");
  }

  private <T> HttpResponse<T> getWithRetries(URI url, String accept, HttpResponse.BodyHandler<T> body,
      Duration deadline, String what, URI registry) throws AdaptorInstallException {
    HttpRequest.Builder request = HttpRequest.newBuilder(url)
        .timeout(deadline)
        .header("Accept", accept)
        .header("User-Agent", "kiln-installer");
    config.authorizationFor(url).ifPresent(auth -> request.header("Authorization", auth));
    IOException lastFailure = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      CompletableFuture<HttpResponse<T>> pending = http.sendAsync(request.build(), body);
      try {
        HttpResponse<T> response = pending.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        if (response.statusCode() < 500 || attempt == ATTEMPTS) {
          return response;
        }
      } catch (TimeoutException e) {
        pending.cancel(true);
        lastFailure = new HttpTimeoutException("no complete answer within " + deadline.toMillis() + " ms");
      } catch (ExecutionException e) {
        lastFailure = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
      } catch (InterruptedException e) {
        pending.cancel(true);
        Thread.currentThread().interrupt();
        throw new AdaptorInstallException("Interrupted while fetching " + what + " from " + registry, e);
      }
      backOff(attempt);
    }
    throw new AdaptorInstallException(
        "Could not reach the npm registry " + registry + " to fetch " + what + " (" + ATTEMPTS + " attempts, last: "
            + lastFailure + "). Check the network connection, or the registry setting (npm_config_registry, .npmrc).",
        lastFailure);
  }

  private static void backOff(int attempt) throws AdaptorInstallException {
    try {
      Thread.sleep(200L * attempt * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AdaptorInstallException("Interrupted while retrying a registry request", e);
    }
  }

  private static String scopeHint(String name) {
    return name.startsWith("@") ? name.substring(0, name.indexOf('/')) + ":" : "";
  }

  private static byte[] digest(Path file, Integrity integrity) throws IOException {
    MessageDigest digest = integrity.newDigest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[65536];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return digest.digest();
  }

  static void moveIntoPlace(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
