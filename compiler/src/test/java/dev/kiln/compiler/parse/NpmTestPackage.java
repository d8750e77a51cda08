package dev.kiln.compiler.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * An npm package used as test data (test262-parser-tests) or test oracle (acorn), downloaded
 * from the registry ({@code npm_config_registry} or registry.npmjs.org), checked against its
 * {@code dist.integrity} and extracted once into {@code ~/.cache/kiln/<name>-<version>/}.
 */
final class NpmTestPackage {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30)).build();

  private NpmTestPackage() {}

  /** The extracted {@code package/} folder of {@code name} at {@code version} (null: latest). */
  static Path fetch(String name, String version) throws IOException, InterruptedException {
    JsonNode packument = new ObjectMapper().readTree(get(registry() + name));
    if (version == null) {
      version = packument.path("dist-tags").path("latest").asText();
    }
    JsonNode dist = packument.path("versions").path(version).path("dist");
    if (dist.isMissingNode()) {
      throw new IOException(name + "@" + version + " is not in the registry");
    }
    Path target = Path.of(System.getProperty("user.home"), ".cache", "kiln", name + "-" + version);
    Path done = target.resolve(".complete");
    if (Files.exists(done)) {
      return target.resolve("package");
    }
    byte[] tarball = get(dist.path("tarball").asText());
    checkIntegrity(tarball, dist.path("integrity").asText());
    Path staging = Files.createTempDirectory(Files.createDirectories(target.getParent()), name);
    extract(tarball, staging);
    Files.writeString(staging.resolve(".complete"), version);
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException alreadyThere) {
      if (!Files.exists(done)) {
        throw alreadyThere;
      }
      deleteTree(staging);
    }
    return target.resolve("package");
  }

  private static String registry() {
    String configured = System.getenv("npm_config_registry");
    String registry = configured == null || configured.isBlank() ? "https://registry.npmjs.org/" : configured;
    return registry.endsWith("/") ? registry : registry + "/";
  }

  private static byte[] get(String url) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2))
        .header("Accept", "application/json, application/octet-stream").GET().build();
    HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException("GET " + url + " answered HTTP " + response.statusCode());
    }
    return response.body();
  }

  private static void checkIntegrity(byte[] tarball, String integrity) throws IOException {
    int dash = integrity.indexOf('-');
    if (dash < 0) {
      throw new IOException("dist.integrity missing or malformed: '" + integrity + "'");
    }
    String algorithm = integrity.substring(0, dash).toUpperCase().replace("SHA", "SHA-");
    try {
      byte[] digest = MessageDigest.getInstance(algorithm).digest(tarball);
      if (!Base64.getEncoder().encodeToString(digest).equals(integrity.substring(dash + 1))) {
        throw new IOException("tarball does not match dist.integrity " + integrity);
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IOException("unsupported integrity algorithm in " + integrity, e);
    }
  }

  private static void extract(byte[] tarball, Path into) throws IOException {
    try (InputStream gzip = new GzipCompressorInputStream(new ByteArrayInputStream(tarball));
        TarArchiveInputStream tar = new TarArchiveInputStream(gzip)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path file = into.resolve(entry.getName()).normalize();
        if (!file.startsWith(into)) {
          throw new IOException("tar entry escapes the target folder: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(file);
        } else if (entry.isFile()) {
          Files.createDirectories(file.getParent());
          Files.copy(tar, file, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
