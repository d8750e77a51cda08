package dev.kiln.devserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Lightning's collections HTTP API (spec adaptors-collections §4.3): {@code /collections/:name}
 * and {@code /collections/:name/:key} (v1; {@code ?project_id=} accepted), or with header
 * {@code x-api-version: 2} {@code /collections/:project_id/:name[/:key]}. Bearer auth with a run
 * token issued by this server (or the API token, standing in for a personal access token).
 */
final class CollectionsApi {
  private static final int DEFAULT_LIMIT = 1000;
  private static final int MAX_VALUE_CHARS = 1_000_000;
  private static final Set<String> STREAM_PARAMS = Set.of("key", "cursor", "limit", "created_after",
      "created_before", "updated_after", "updated_before", "project_id");
  private static final Set<String> DELETE_PARAMS = Set.of("key", "created_after", "created_before",
      "updated_after", "updated_before", "project_id");

  /** Thrown for a request the server answers 400 {@code {"error": "Bad Request"}}. */
  private static final class BadRequest extends Exception {
    BadRequest() {
      super(null, null, false, false);
    }
  }

  private final CollectionStore store;
  private final RunTokens runTokens;
  private final RestApi restApi;
  private final String projectId;

  CollectionsApi(CollectionStore store, RunTokens runTokens, RestApi restApi, String projectId) {
    this.store = store;
    this.runTokens = runTokens;
    this.restApi = restApi;
    this.projectId = projectId;
  }

  void register(Javalin app) {
    for (HandlerType method : List.of(HandlerType.GET, HandlerType.PUT, HandlerType.POST, HandlerType.DELETE)) {
      app.addHttpHandler(method, "/collections", ctx -> notFound(ctx));
      app.addHttpHandler(method, "/collections/<path>", this::handle);
    }
  }

  private void handle(Context ctx) {
    if (!authorized(ctx)) {
      RestApi.json(ctx, 401, Json.object().put("error", "Unauthorized"));
      return;
    }
    List<String> versions = Collections.list(ctx.req().getHeaders("x-api-version"));
    String version = versions.isEmpty() ? "1" : versions.get(0);
    if (versions.size() > 1 || !(version.equals("1") || version.equals("2"))) {
      RestApi.json(ctx, 400, Json.object().put("error", "Unsupported API version: " + String.join(",", versions)));
      return;
    }
    List<String> path = List.of(ctx.pathParam("path").split("/", -1));
    if (version.equals("2")) {
      if (path.size() < 2 || !path.get(0).equals(projectId)) {
        notFound(ctx);
        return;
      }
      path = path.subList(1, path.size());
    } else if (ctx.queryParam("project_id") != null && !projectId.equals(ctx.queryParam("project_id"))) {
      notFound(ctx);
      return;
    }
    if (path.isEmpty() || path.size() > 2 || path.stream().anyMatch(String::isEmpty)) {
      notFound(ctx);
      return;
    }
    String name = path.get(0);
    String key = path.size() == 2 ? path.get(1) : null;
    if (!store.exists(name)) {
      notFound(ctx);
      return;
    }
    try {
      switch (ctx.method().name() + (key == null ? "" : "/key")) {
        case "GET" -> stream(ctx, name);
        case "GET/key" -> get(ctx, name, key);
        case "PUT/key" -> put(ctx, name, key);
        case "POST" -> putAll(ctx, name);
        case "DELETE/key" -> delete(ctx, name, key);
        case "DELETE" -> deleteAll(ctx, name);
        default -> notFound(ctx);
      }
    } catch (BadRequest e) {
      RestApi.json(ctx, 400, Json.object().put("error", "Bad Request"));
    }
  }

  private boolean authorized(Context ctx) {
    List<String> headers = Collections.list(ctx.req().getHeaders("Authorization"));
    if (headers.size() != 1 || !headers.get(0).startsWith("Bearer ")) {
      return false;
    }
    String token = headers.get(0).substring("Bearer ".length()).trim();
    return restApi.isApiToken(token) || runTokens.verifiedRunId(token).isPresent();
  }

  private void stream(Context ctx, String name) throws BadRequest {
    checkParams(ctx, STREAM_PARAMS);
    long after = 0;
    String cursor = ctx.queryParam("cursor");
    if (cursor != null) {
      try {
        after = Long.parseLong(new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw new BadRequest();
      }
    }
    int limit = DEFAULT_LIMIT;
    String limitText = ctx.queryParam("limit");
    if (limitText != null) {
      if (!limitText.matches("\\d{1,9}") || Integer.parseInt(limitText) < 1) {
        throw new BadRequest();
      }
      limit = Integer.parseInt(limitText);
    }
    CollectionStore.Page page = store.stream(name, ctx.queryParam("key"), filters(ctx), after, limit);
    ObjectNode body = Json.object();
    ArrayNode items = body.putArray("items");
    page.items().forEach(items::add);
    if (page.nextAfterId() == null) {
      body.putNull("cursor");
    } else {
      body.put("cursor", Base64.getEncoder().encodeToString(
          Long.toString(page.nextAfterId()).getBytes(StandardCharsets.UTF_8)));
    }
    RestApi.json(ctx, 200, body);
  }

  private void get(Context ctx, String name, String key) {
    Optional<ObjectNode> item = store.get(name, key);
    if (item.isPresent()) {
      RestApi.json(ctx, 200, item.get());
    } else {
      ctx.status(204).result("");
    }
  }

  private void put(Context ctx, String name, String key) throws BadRequest {
    JsonNode body = body(ctx);
    if (!body.has("value")) {
      RestApi.json(ctx, 422, Json.object().put("error", "Missing required field: value"));
      return;
    }
    if (!validValue(body.get("value"))) {
      RestApi.json(ctx, 200, Json.object().put("upserted", 0).put("error", "Format error"));
      return;
    }
    int upserted = store.putAll(name, List.of(Map.entry(key, body.get("value").asText())));
    RestApi.json(ctx, 200, Json.object().put("upserted", upserted).putNull("error"));
  }

  private void putAll(Context ctx, String name) throws BadRequest {
    JsonNode body = body(ctx);
    if (!body.path("items").isArray()) {
      RestApi.json(ctx, 422, Json.object().put("error", "Missing required field: items"));
      return;
    }
    List<Map.Entry<String, String>> items = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (JsonNode item : body.get("items")) {
      if (!item.path("key").isTextual() || item.get("key").asText().isEmpty() || !validValue(item.get("value"))) {
        RestApi.json(ctx, 200, Json.object().put("upserted", 0).put("error", "Format error"));
        return;
      }
      if (!keys.add(item.get("key").asText())) {
        RestApi.json(ctx, 422, Json.object().put("upserted", 0).put("error", "Duplicate key found"));
        return;
      }
      items.add(Map.entry(item.get("key").asText(), item.get("value").asText()));
    }
    RestApi.json(ctx, 200, Json.object().put("upserted", store.putAll(name, items)).putNull("error"));
  }

  private void delete(Context ctx, String name, String key) {
    int deleted = store.delete(name, key);
    ObjectNode body = Json.object().put("key", key).put("deleted", deleted);
    if (deleted == 0) {
      body.put("error", "Item Not Found");
    } else {
      body.putNull("error");
    }
    RestApi.json(ctx, 200, body);
  }

  private void deleteAll(Context ctx, String name) throws BadRequest {
    checkParams(ctx, DELETE_PARAMS);
    String pattern = ctx.queryParam("key");
    if (pattern == null && !ctx.body().isBlank()) {
      JsonNode key = body(ctx).get("key");
      pattern = key != null && key.isTextual() ? key.asText() : null;
    }
    int deleted = store.deleteAll(name, pattern, filters(ctx));
    ObjectNode body = Json.object().put("key", pattern).put("deleted", deleted);
    body.putNull("error");
    RestApi.json(ctx, 200, body);
  }

  private static void checkParams(Context ctx, Set<String> allowed) throws BadRequest {
    for (String name : ctx.queryParamMap().keySet()) {
      if (!allowed.contains(name)) {
        throw new BadRequest();
      }
    }
  }

  private static CollectionStore.Filters filters(Context ctx) throws BadRequest {
    return new CollectionStore.Filters(time(ctx, "created_after"), time(ctx, "created_before"),
        time(ctx, "updated_after"), time(ctx, "updated_before"));
  }

  /** A full ISO-8601 date-time with offset, as Elixir's {@code DateTime.from_iso8601}; else 400. */
  private static Long time(Context ctx, String param) throws BadRequest {
    String value = ctx.queryParam(param);
    if (value == null) {
      return null;
    }
    // An unencoded '+' of the offset arrives as a space.
    for (String candidate : List.of(value, value.replace(' ', '+'), value.replaceFirst(" ", "T"))) {
      try {
        return Clock.toMicros(OffsetDateTime.parse(candidate).toInstant());
      } catch (DateTimeParseException e) {
        // try the next reading
      }
    }
    throw new BadRequest();
  }

  private static JsonNode body(Context ctx) throws BadRequest {
    try {
      JsonNode body = Json.parse(ctx.body());
      if (!body.isObject()) {
        throw new BadRequest();
      }
      return body;
    } catch (IllegalArgumentException e) {
      throw new BadRequest();
    }
  }

  private static boolean validValue(JsonNode value) {
    return value != null && value.isTextual() && value.asText().length() <= MAX_VALUE_CHARS;
  }

  private static void notFound(Context ctx) {
    RestApi.json(ctx, 404, Json.object().put("error", "Not Found"));
  }
}
