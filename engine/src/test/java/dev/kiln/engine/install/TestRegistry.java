package dev.kiln.engine.install;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny npm registry on 127.0.0.1 for tests: packuments and tarballs generated in the test,
 * request counts per path, and the Authorization headers received.
 */
final class TestRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<String, ObjectNode> packuments = new ConcurrentHashMap<>();
  private final Map<String, byte[]> tarballs = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, java.util.concurrent.CountDownLatch> gates = new ConcurrentHashMap<>();
  private final Set<String> stalled = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
  private volatile int failWithStatus;

  private TestRegistry(HttpServer server) {
    this.server = server;
  }

  static TestRegistry start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    TestRegistry registry = new TestRegistry(server);
    server.createContext("/", registry::handle);
    server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    return registry;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  RegistryConfig config() {
    return RegistryConfig.of(url());
  }

  Publication publish(String name, String version) {
    return new Publication(name, version);
  }

  void tag(String name, String tag, String version) {
    ((ObjectNode) packuments.get(name).get("dist-tags")).put(tag, version);
  }

  /**
   * Holds the answers to a package's packument requests until {@code requests} of them have
   * arrived, so that racing clients all pass that point together.
   */
  void gatePackument(String name, int requests) {
    gates.put("/" + name.replace("/", "%2f"), new java.util.concurrent.CountDownLatch(requests));
  }

  /** Requests for this package's packument get headers and a little of the body, then nothing. */
  void stallPackument(String name) {
    stalled.add("/" + name.replace("/", "%2f"));
  }

  /** Every request answers this status from now on (0: serve normally). */
  void failWith(int status) {
    failWithStatus = status;
  }

  int hits(String path) {
    AtomicInteger n = hits.get(path);
    return n == null ? 0 : n.get();
  }

  int packumentHits(String name) {
    return hits("/" + name.replace("/", "%2f"));
  }

  int tarballHits() {
    return hits.entrySet().stream().filter(e -> e.getKey().startsWith("/tarballs/")).mapToInt(e -> e.getValue().get()).sum();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (auth != null) authorizations.add(auth);
      java.util.concurrent.CountDownLatch gate = gates.get(path);
      if (gate != null) {
        gate.countDown();
        try {
          gate.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (stalled.contains(path)) {
        exchange.sendResponseHeaders(200, 1000);
        exchange.getResponseBody().write("{\"name\":".getBytes());
        exchange.getResponseBody().flush();
        try {
          closing.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      if (failWithStatus != 0) {
        exchange.sendResponseHeaders(failWithStatus, -1);
        return;
      }
      if (path.startsWith("/moved/")) {
        exchange.getResponseHeaders().set("Location", url().resolve(path.substring("/moved/".length())).toString());
        exchange.sendResponseHeaders(302, -1);
        return;
      }
      byte[] body;
      if (path.startsWith("/tarballs/")) {
        body = tarballs.get(path);
      } else {
        ObjectNode packument = packuments.get(path.substring(1).replace("%2f", "/").replace("%2F", "/"));
        body = packument == null ? null : JSON.writeValueAsBytes(packument);
      }
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
  }

  /** One version to publish: its manifest fields, files and tarball. */
  final class Publication {
    private final ObjectNode manifest = JSON.createObjectNode();
    private final Map<String, String> files = new LinkedHashMap<>();
    private String integrityOverride;
    private String tarballPrefix = "";

    private Publication(String name, String version) {
      manifest.put("name", name);
      manifest.put("version", version);
      files.put("index.js", "module.exports = " + JSON.valueToTree(name + "@" + version) + ";\n");
    }

    Publication dependency(String name, String range) {
      manifest.with("dependencies").put(name, range);
      return this;
    }

    Publication optionalDependency(String name, String range) {
      manifest.with("optionalDependencies").put(name, range);
      return this;
    }

    Publication peerDependency(String name, String range) {
      manifest.with("peerDependencies").put(name, range);
      return this;
    }

    Publication devDependency(String name, String range) {
      manifest.with("devDependencies").put(name, range);
      return this;
    }

    /** A dependency shipped inside the tarball ({@code bundleDependencies}), not published. */
    Publication bundledDependency(String name, String version) {
      manifest.with("dependencies").put(name, version);
      manifest.withArray("bundleDependencies").add(name);
      files.put("node_modules/" + name + "/package.json",
          "{\"name\":\"" + name + "\",\"version\":\"" + version + "\"}");
      return this;
    }

    Publication os(String... values) {
      var array = manifest.putArray("os");
      for (String v : values) array.add(v);
      return this;
    }

    /** A package script (npm would run {@code install}/{@code postinstall}; Kiln never does). */
    Publication script(String name, String command) {
      manifest.with("scripts").put(name, command);
      return this;
    }

    Publication file(String path, String content) {
      files.put(path, content);
      return this;
    }

    Publication integrity(String sri) {
      integrityOverride = sri;
      return this;
    }

    /** The packument's tarball URL answers with a redirect to the real one. */
    Publication tarballMoved() {
      tarballPrefix = "moved/";
      return this;
    }

    void done() {
      String name = manifest.get("name").asText();
      String version = manifest.get("version").asText();
      TarWriter tar = new TarWriter().file("package/package.json", manifest.toString());
      files.forEach((path, content) -> tar.file("package/" + path, content));
      byte[] tgz = tar.tgz();
      String tarballPath = "/tarballs/" + name + "-" + version + ".tgz";
      tarballs.put(tarballPath, tgz);
      ObjectNode published = manifest.deepCopy();
      ObjectNode dist = published.putObject("dist");
      dist.put("integrity", integrityOverride != null ? integrityOverride : sha512(tgz));
      dist.put("tarball", url().resolve(tarballPrefix + tarballPath.substring(1)).toString());
      ObjectNode packument = packuments.computeIfAbsent(name, n -> {
        ObjectNode p = JSON.createObjectNode();
        p.put("name", n);
        p.putObject("dist-tags");
        p.putObject("versions");
        return p;
      });
      ((ObjectNode) packument.get("versions")).set(version, published);
      if (!version.contains("-")) {
        ((ObjectNode) packument.get("dist-tags")).put("latest", version);
      }
    }
  }

  static String sha512(byte[] data) {
    try {
      return "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(data));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
