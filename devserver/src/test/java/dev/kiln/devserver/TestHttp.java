package dev.kiln.devserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** HTTP calls to a test server on loopback. */
final class TestHttp {
  record Response(int status, String body) {
    JsonNode json() {
      return Json.parse(body);
    }
  }

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestHttp() {}

  static Response send(String method, String url, String token, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.body());
  }

  /** Submits {@code {"plan": plan, "input": input}} and returns the run id. */
  static String submit(DevServer server, String plan, String input) throws Exception {
    String body = "{\"plan\":" + plan + (input == null ? "" : ",\"input\":" + input) + "}";
    Response response = send("POST", server.baseUrl() + "/api/runs", server.apiToken(), body);
    if (response.status() != 201) {
      throw new AssertionError("submit failed: " + response);
    }
    return response.json().get("id").asText();
  }

  static JsonNode run(DevServer server, String id) throws Exception {
    return send("GET", server.baseUrl() + "/api/runs/" + id, server.apiToken(), null).json();
  }
}
