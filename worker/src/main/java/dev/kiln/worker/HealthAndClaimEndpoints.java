package dev.kiln.worker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The worker's HTTP API (spec §7.3): {@code GET /} and {@code GET /livez} answer 200 {@code OK}
 * as soon as the port is open, with or without Lightning; {@code POST /claim} makes one claim on
 * every workloop with a free slot and answers 200 {@code complete} if a run was claimed, else 204.
 */
final class HealthAndClaimEndpoints implements AutoCloseable {
  private final HttpServer server;

  /** @param claimAll one claim per loop with capacity; resolves to the number of runs claimed */
  HealthAndClaimEndpoints(int port, Supplier<CompletableFuture<Integer>> claimAll) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", exchange -> {
      try (exchange) {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if ("POST".equals(method) && "/claim".equals(path)) {
          int claimed = claimAll.get().join();
          if (claimed > 0) {
            respond(exchange, 200, "complete");
          } else {
            exchange.sendResponseHeaders(204, -1);
          }
        } else if ("GET".equals(method) && ("/".equals(path) || "/livez".equals(path))) {
          respond(exchange, 200, "OK");
        } else {
          respond(exchange, 404, "Not Found");
        }
      }
    });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
