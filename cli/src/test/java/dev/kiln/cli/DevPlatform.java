package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.devserver.DevServer;
import dev.kiln.devserver.DevServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A dev server (in this JVM) and a {@code kiln worker} process connected to it, with REST helpers. */
final class DevPlatform implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  /** One adaptor repo for every test that installs adaptors (the engine's tests use it too): the first one downloads. */
  static final Path REPO = Path.of(System.getProperty("user.home"), ".cache", "kiln", "test-repo");

  DevServer server;
  final KilnProcess worker;
  private final boolean mockQuirks;
  private final HttpClient http = HttpClient.newHttpClient();

  /** One event a worker sent for a run, as the dev server stored it. */
  record Event(String name, JsonNode payload) {}

  private DevPlatform(DevServer server, KilnProcess worker, boolean mockQuirks) {
    this.server = server;
    this.worker = worker;
    this.mockQuirks = mockQuirks;
  }

  static DevServer server(Path dir, boolean mockQuirks) {
    return server(dir, mockQuirks, 0);
  }

  private static DevServer server(Path dir, boolean mockQuirks, int port) {
    return DevServer.start(DevServerConfig.defaults().withDatabase(dir.resolve("dev.db")).withMockQuirks(mockQuirks)
        .withWorkAvailableDebounce(Duration.ofMillis(20)).withPort(port));
  }

  /** Stops the dev server (every worker socket drops) and starts it again on the same port and database. */
  void restartServer(Path dir) {
    int port = server.port();
    server.close();
    server = server(dir, mockQuirks, port);
  }

  /** A dev server and a worker with the server's secret, run-token key and collections URL, plus {@code args}. */
  static DevPlatform start(Path dir, boolean mockQuirks, String... args) throws IOException {
    return startVerifyingWith(null, dir, mockQuirks, args);
  }

  /** As {@link #start(Path, boolean, String...)}, verifying run tokens with {@code publicKey} instead of the server's. */
  static DevPlatform startVerifyingWith(String publicKey, Path dir, boolean mockQuirks, String... args)
      throws IOException {
    DevServer server = server(dir, mockQuirks);
    List<String> all = new ArrayList<>(List.of("--lightning", server.workerEndpoint(), "--secret", server.workerSecret(),
        "--lightning-public-key", publicKey != null ? publicKey : server.runPublicKeyBase64(),
        "--collections-url", server.collectionsUrl(),
        "--backoff", "0.05/0.5"));
    all.addAll(List.of(args));
    return new DevPlatform(server, KilnProcess.start(REPO, all.toArray(String[]::new)), mockQuirks);
  }

  /** Queues a run: {@code {"plan": ..., "input"?: ..., "credentials"?: ...}}; its id. */
  String submit(ObjectNode body) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request("/api/runs").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException("submit refused: " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body()).path("id").asText();
  }

  /** Every event of the run, in order, up to and including {@code run:complete} (or {@code run:lost}). */
  List<Event> events(String runId, Duration timeout) {
    return CompletableFuture.supplyAsync(() -> readEvents(runId)).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> {
          throw new IllegalStateException("run " + runId + " did not end within " + timeout + "; worker output:\n"
              + worker.output(), e);
        }).join();
  }

  /** Waits until the run has an event named {@code name}; the events up to it. */
  List<Event> awaitEvent(String runId, String name, Duration timeout) {
    return CompletableFuture.supplyAsync(() -> readEvents(runId, name)).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> {
          throw new IllegalStateException("run " + runId + " sent no " + name + " within " + timeout
              + "; worker output:\n" + worker.output(), e);
        }).join();
  }

  private List<Event> readEvents(String runId) {
    return readEvents(runId, null);
  }

  private List<Event> readEvents(String runId, String until) {
    try {
      HttpResponse<Stream<String>> response = http.send(request("/api/runs/" + runId + "/events")
          .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
      List<Event> events = new ArrayList<>();
      String name = null;
      Iterator<String> lines = response.body().iterator();
      while (lines.hasNext()) {
        String line = lines.next();
        if (line.startsWith("event:")) {
          name = line.substring(6).trim();
        } else if (line.startsWith("data:") && name != null) {
          events.add(new Event(name, JSON.readTree(line.substring(5).trim())));
          if (name.equals("run:complete") || name.equals("run:lost") || name.equals(until)) {
            return events;
          }
          name = null;
        }
      }
      return events;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code GET /api/runs/<id>}. */
  JsonNode run(String runId) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request("/api/runs/" + runId).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .header("Authorization", "Bearer " + server.apiToken());
  }

  @Override
  public void close() {
    worker.close();
    server.close();
  }
}
