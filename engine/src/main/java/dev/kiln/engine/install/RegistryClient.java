package dev.kiln.engine.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.UUID;

/**
 * Talks to npm registries over HTTP: fetches packuments and tarballs. Tarballs are kept in a disk
 * cache named by their integrity digest, and verified against {@code dist.integrity} (or {@code
 * dist.shasum}) both after download and when read from the cache. Network failures and 5xx
 * answers are retried twice. Redirects are followed here rather than by the HTTP client, so that
 * a registry token is only ever sent to the URLs it is configured for.
 */
final class RegistryClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PACKUMENT_ACCEPT =
      "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*";
  private static final int ATTEMPTS = 3;
  private static final int MAX_REDIRECTS = 5;
  private static final java.util.Set<Integer> REDIRECTS = java.util.Set.of(301, 302, 303, 307, 308);
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

  private final RegistryConfig config;
  private final Path tarballCache;
  private final HttpClient http;

  RegistryClient(RegistryConfig config, Path tarballCache) {
    this.config = config;
    this.tarballCache = tarballCache;
    this.http = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER) // followed here, so credentials never leak to another host
        .connectTimeout(Duration.ofSeconds(20))
        .build();
  }

  RegistryConfig config() {
    return config;
  }

  Packument packument(String name) throws AdaptorInstallException {
    URI registry = config.registryFor(name);
    URI url = registry.resolve(name.replace("/", "%2f"));
    HttpResponse<InputStream> response = get(url, PACKUMENT_ACCEPT, name, registry);
    try (InputStream body = response.body()) {
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
      JsonNode json = JSON.readTree(body);
      return new Packument(name, json);
    } catch (IOException e) {
      throw new AdaptorInstallException(
          "Could not read the metadata of " + name + " from the registry " + registry + ": " + e.getMessage(), e);
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
      HttpResponse<InputStream> response = get(url, "*/*", manifest.id(), registry);
      byte[] actual;
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new AdaptorInstallException(
              "Downloading " + manifest.id() + " from " + url + " failed with HTTP " + response.statusCode()
                  + "; try again later or check the registry setting (npm_config_registry, .npmrc).");
        }
        MessageDigest digest = integrity.newDigest();
        try (OutputStream out = Files.newOutputStream(part)) {
          byte[] buffer = new byte[65536];
          for (int n; (n = body.read(buffer)) >= 0; ) {
            digest.update(buffer, 0, n);
            out.write(buffer, 0, n);
          }
        }
        actual = digest.digest();
      }
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

  private static final String NPMJS_HOST = RegistryConfig.NPMJS.getHost();

  /**
   * GET with retries (network failures, 5xx) and up to {@value #MAX_REDIRECTS} redirects. Each
   * hop gets only the credentials configured for its own URL.
   */
  private HttpResponse<InputStream> get(URI url, String accept, String what, URI registry)
      throws AdaptorInstallException {
    URI current = url;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      HttpResponse<InputStream> response = getOnce(current, accept, what, registry);
      int status = response.statusCode();
      var location = response.headers().firstValue("Location");
      if (!REDIRECTS.contains(status) || location.isEmpty()) {
        return response;
      }
      closeQuietly(response);
      URI next = current.resolve(location.get());
      if ("http".equals(next.getScheme()) && "https".equals(current.getScheme())) {
        throw new AdaptorInstallException(
            "The registry " + registry + " redirected the request for " + what + " from https to " + next
                + "; refusing to downgrade. Check the registry setting (npm_config_registry, .npmrc).");
      }
      current = next;
    }
    throw new AdaptorInstallException(
        "Too many redirects fetching " + what + " from " + url + "; check the registry setting (npm_config_registry, .npmrc).");
  }

  private HttpResponse<InputStream> getOnce(URI url, String accept, String what, URI registry)
      throws AdaptorInstallException {
    HttpRequest.Builder request = HttpRequest.newBuilder(url)
        .timeout(REQUEST_TIMEOUT)
        .header("Accept", accept)
        .header("User-Agent", "kiln-installer");
    config.authorizationFor(url).ifPresent(auth -> request.header("Authorization", auth));
    IOException lastFailure = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() < 500 || attempt == ATTEMPTS) {
          return response;
        }
        closeQuietly(response);
      } catch (IOException e) {
        lastFailure = e;
      } catch (InterruptedException e) {
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

  private static void closeQuietly(HttpResponse<InputStream> response) {
    try {
      response.body().close();
    } catch (IOException ignored) {
      // nothing to clean up beyond the connection
    }
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
