package dev.kiln.devserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The dev server's own JSON API, under {@code /api}, guarded by the API token (header
 * {@code Authorization: Bearer <token>}, or {@code ?token=} for browsers and EventSource):
 * submit a workflow, list and read runs, follow a run (SSE), create collections.
 */
final class RestApi {
  private final String apiToken;
  private final RunStore runs;
  private final RunEventBus bus;
  private final CollectionStore collections;
  private final Runnable onEnqueue;
  private final ScheduledExecutorService scheduler;

  RestApi(String apiToken, RunStore runs, RunEventBus bus, CollectionStore collections, Runnable onEnqueue,
      ScheduledExecutorService scheduler) {
    this.apiToken = apiToken;
    this.runs = runs;
    this.bus = bus;
    this.collections = collections;
    this.onEnqueue = onEnqueue;
    this.scheduler = scheduler;
  }

  void register(Javalin app) {
    app.before("/api/*", ctx -> {
      if (!isApiToken(bearerOrQuery(ctx))) {
        ctx.skipRemainingHandlers();
        json(ctx, 401, Json.object().put("error", "Unauthorized: pass the dev server's API token as"
            + " 'Authorization: Bearer <token>' (it is printed when the server starts)"));
      }
    });
    app.post("/api/runs", this::submit);
    app.get("/api/runs", ctx -> json(ctx, 200, runs.list(ctx.queryParam("state"), limit(ctx))));
    app.get("/api/runs/{id}", ctx -> runs.detail(ctx.pathParam("id")).ifPresentOrElse(
        run -> json(ctx, 200, run),
        () -> json(ctx, 404, Json.object().put("error", "No run " + ctx.pathParam("id")))));
    app.sse("/api/runs/{id}/events", client -> {
      String id = client.ctx().pathParam("id");
      if (!runs.exists(id)) {
        client.sendEvent("error", "No run " + id);
        client.close();
        return;
      }
      RunEventStream.follow(client, runs, bus, id, scheduler);
    });
    app.get("/api/collections", ctx -> json(ctx, 200, collections.names()));
    app.put("/api/collections/{name}", ctx -> {
      boolean created = collections.create(ctx.pathParam("name"));
      json(ctx, created ? 201 : 200, Json.object().put("name", ctx.pathParam("name")));
    });
  }

  boolean isApiToken(String token) {
    return token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
        apiToken.getBytes(StandardCharsets.UTF_8));
  }

  private void submit(Context ctx) {
    JsonNode body;
    try {
      body = Json.parse(ctx.body());
    } catch (IllegalArgumentException e) {
      json(ctx, 400, Json.object().put("error", "The request body is not JSON: " + e.getMessage()));
      return;
    }
    boolean wrapped = body.has("plan");
    JsonNode workflow = wrapped ? body.get("plan") : body;
    Map<String, JsonNode> credentials = new LinkedHashMap<>();
    JsonNode given = wrapped ? body.path("credentials") : Json.object();
    if (!given.isMissingNode() && !given.isObject()) {
      json(ctx, 400, Json.object().put("error", "\"credentials\" must be an object {\"<id>\": {...}}"));
      return;
    }
    given.fields().forEachRemaining(entry -> credentials.put(entry.getKey(), entry.getValue()));
    PlanIntake.Intake intake;
    try {
      intake = PlanIntake.read(workflow);
    } catch (IllegalArgumentException e) {
      json(ctx, 400, Json.object().put("error", e.getMessage()));
      return;
    }
    JsonNode input = wrapped && body.has("input") ? body.get("input") : null;
    String id = runs.enqueue(intake, input, credentials);
    onEnqueue.run();
    ObjectNode result = Json.object().put("id", id);
    result.put("url", "/api/runs/" + id);
    json(ctx, 201, result);
  }

  private static int limit(Context ctx) {
    String limit = ctx.queryParam("limit");
    return limit != null && limit.matches("\\d{1,6}") ? Integer.parseInt(limit) : 100;
  }

  static String bearerOrQuery(Context ctx) {
    String header = ctx.header("Authorization");
    if (header != null && header.startsWith("Bearer ")) {
      return header.substring("Bearer ".length()).trim();
    }
    return ctx.queryParam("token");
  }

  static void json(Context ctx, int status, JsonNode body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }
}
