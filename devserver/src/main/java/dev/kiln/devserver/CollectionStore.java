package dev.kiln.devserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Collections and their items (Lightning's {@code collections.ex}): items ordered by an internal
 * id, key patterns where {@code *} matches anything and {@code _} any one character (Lightning
 * does not escape it), time filters on insert and update times (microseconds).
 */
final class CollectionStore {
  /** Optional time bounds: {@code created_after <= inserted_at < created_before}, same for updates. */
  record Filters(Long createdAfter, Long createdBefore, Long updatedAfter, Long updatedBefore) {}

  /** One page of a stream: items and the cursor (last id) if more match. */
  record Page(List<ObjectNode> items, Long nextAfterId) {}

  private final Database database;

  CollectionStore(Database database) {
    this.database = database;
  }

  boolean create(String name) {
    return database.transaction(() -> database.update(
        "INSERT INTO collections (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
        name, Clock.nowMicros()) == 1);
  }

  boolean exists(String name) {
    return database.transaction(() ->
        database.queryOne("SELECT 1 AS one FROM collections WHERE name = ?", name).isPresent());
  }

  ArrayNode names() {
    return database.transaction(() -> {
      ArrayNode names = Json.MAPPER.createArrayNode();
      database.query("SELECT name FROM collections ORDER BY name").forEach(row -> names.add(row.get("name")));
      return names;
    });
  }

  Optional<ObjectNode> get(String collection, String key) {
    return database.transaction(() -> database.queryOne(
        "SELECT key, value, inserted_at, updated_at FROM collection_items WHERE collection = ? AND key = ?",
        collection, key).map(CollectionStore::item));
  }

  Page stream(String collection, String pattern, Filters filters, long afterId, int limit) {
    return database.transaction(() -> {
      List<Object> args = new ArrayList<>(List.of(collection, afterId));
      String where = where(pattern, filters, args);
      args.add(limit + 1);
      List<ObjectNode> rows = database.query("SELECT id, key, value, inserted_at, updated_at FROM collection_items"
          + " WHERE collection = ? AND id > ?" + where + " ORDER BY id LIMIT ?", args.toArray());
      boolean more = rows.size() > limit;
      List<ObjectNode> page = more ? rows.subList(0, limit) : rows;
      Long next = more ? page.get(page.size() - 1).get("id").asLong() : null;
      return new Page(page.stream().map(CollectionStore::item).toList(), next);
    });
  }

  /** Inserts or replaces the items; one timestamp for the whole batch. */
  int putAll(String collection, List<Map.Entry<String, String>> items) {
    long now = Clock.nowMicros();
    return database.transaction(() -> {
      for (Map.Entry<String, String> item : items) {
        database.update("INSERT INTO collection_items (collection, key, value, inserted_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (collection, key) DO UPDATE SET value = excluded.value,"
            + " updated_at = excluded.updated_at", collection, item.getKey(), item.getValue(), now, now);
      }
      return items.size();
    });
  }

  int delete(String collection, String key) {
    return database.transaction(() ->
        database.update("DELETE FROM collection_items WHERE collection = ? AND key = ?", collection, key));
  }

  int deleteAll(String collection, String pattern, Filters filters) {
    return database.transaction(() -> {
      List<Object> args = new ArrayList<>(List.of(collection));
      String where = where(pattern, filters, args);
      return database.update("DELETE FROM collection_items WHERE collection = ?" + where, args.toArray());
    });
  }

  private static String where(String pattern, Filters filters, List<Object> args) {
    StringBuilder sql = new StringBuilder();
    if (pattern != null) {
      sql.append(" AND key LIKE ? ESCAPE '\\'");
      args.add(pattern.replace("\\", "\\\\").replace("%", "\\%").replace('*', '%'));
    }
    addBound(sql, args, "inserted_at >= ?", filters.createdAfter());
    addBound(sql, args, "inserted_at < ?", filters.createdBefore());
    addBound(sql, args, "updated_at >= ?", filters.updatedAfter());
    addBound(sql, args, "updated_at < ?", filters.updatedBefore());
    return sql.toString();
  }

  private static void addBound(StringBuilder sql, List<Object> args, String condition, Long value) {
    if (value != null) {
      sql.append(" AND ").append(condition);
      args.add(value);
    }
  }

  private static ObjectNode item(ObjectNode row) {
    ObjectNode item = Json.object();
    item.set("key", row.get("key"));
    item.set("value", row.get("value"));
    item.put("created", Clock.iso(row.get("inserted_at").asLong()));
    item.put("updated", Clock.iso(row.get("updated_at").asLong()));
    return item;
  }
}
