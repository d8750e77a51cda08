package dev.kiln.devserver;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The dev server's SQLite file: one connection, one writer at a time. Every change goes through
 * {@link #transaction}, so a protocol event is validated and stored atomically. Rows come back as
 * JSON objects keyed by column name (integers as numbers, text as strings).
 */
final class Database implements AutoCloseable {
  private static final String[] SCHEMA = {
      "CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
      "CREATE TABLE IF NOT EXISTS workflows (id TEXT PRIMARY KEY, name TEXT, plan TEXT NOT NULL,"
          + " created_at INTEGER NOT NULL)",
      "CREATE TABLE IF NOT EXISTS credentials (id TEXT PRIMARY KEY, body TEXT NOT NULL)",
      "CREATE TABLE IF NOT EXISTS dataclips (id TEXT PRIMARY KEY, body TEXT NOT NULL, type TEXT NOT NULL,"
          + " created_at INTEGER NOT NULL)",
      "CREATE TABLE IF NOT EXISTS runs (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
          + " workflow_id TEXT NOT NULL, dataclip_id TEXT, state TEXT NOT NULL, error_type TEXT,"
          + " error_message TEXT, timeout_ms INTEGER NOT NULL, worker_name TEXT,"
          + " created_at INTEGER NOT NULL, claimed_at INTEGER, joined_at INTEGER, started_at INTEGER,"
          + " finished_at INTEGER,"
          + " final_dataclip_id TEXT, final_state TEXT, late_reason TEXT)",
      "CREATE INDEX IF NOT EXISTS runs_by_state ON runs (state, seq)",
      "CREATE TABLE IF NOT EXISTS steps (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
          + " run_id TEXT NOT NULL, job_id TEXT NOT NULL, input_dataclip_id TEXT, output_dataclip_id TEXT,"
          + " output_dataclip_error TEXT, exit_reason TEXT, error_type TEXT, error_message TEXT,"
          + " started_at INTEGER, finished_at INTEGER)",
      "CREATE INDEX IF NOT EXISTS steps_by_run ON steps (run_id, seq)",
      "CREATE TABLE IF NOT EXISTS logs (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL,"
          + " step_id TEXT, source TEXT, level TEXT, message TEXT NOT NULL, timestamp INTEGER NOT NULL)",
      "CREATE INDEX IF NOT EXISTS logs_by_run ON logs (run_id, id)",
      "CREATE INDEX IF NOT EXISTS logs_by_time ON logs (run_id, timestamp)",
      "CREATE TABLE IF NOT EXISTS run_events (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL,"
          + " event TEXT NOT NULL, payload TEXT NOT NULL)",
      "CREATE INDEX IF NOT EXISTS run_events_by_run ON run_events (run_id, id)",
      "CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY, created_at INTEGER NOT NULL)",
      "CREATE TABLE IF NOT EXISTS collection_items (id INTEGER PRIMARY KEY AUTOINCREMENT,"
          + " collection TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,"
          + " inserted_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, UNIQUE (collection, key))",
  };

  /** Work done under the lock, inside one transaction. */
  interface Work<T> {
    T run() throws SQLException;
  }

  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();

  private Database(Connection connection) {
    this.connection = connection;
  }

  static Database open(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA journal_mode=WAL");
        statement.execute("PRAGMA synchronous=NORMAL");
        // Lightning's key patterns use Postgres LIKE, which is case sensitive.
        statement.execute("PRAGMA case_sensitive_like=ON");
        for (String ddl : SCHEMA) {
          statement.execute(ddl);
        }
      }
      connection.setAutoCommit(false);
      connection.commit();
      return new Database(connection);
    } catch (SQLException | java.io.IOException e) {
      throw new IllegalStateException("Cannot open the dev server database " + file + ": " + e.getMessage(), e);
    }
  }

  <T> T transaction(Work<T> work) {
    lock.lock();
    try {
      try {
        T result = work.run();
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Database error: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  int update(String sql, Object... args) throws SQLException {
    try (PreparedStatement statement = prepare(sql, args)) {
      return statement.executeUpdate();
    }
  }

  long insert(String sql, Object... args) throws SQLException {
    try (PreparedStatement statement = prepare(sql, args)) {
      statement.executeUpdate();
      try (ResultSet keys = statement.getGeneratedKeys()) {
        return keys.next() ? keys.getLong(1) : -1;
      }
    }
  }

  List<ObjectNode> query(String sql, Object... args) throws SQLException {
    try (PreparedStatement statement = prepare(sql, args); ResultSet rows = statement.executeQuery()) {
      ResultSetMetaData meta = rows.getMetaData();
      List<ObjectNode> result = new ArrayList<>();
      while (rows.next()) {
        ObjectNode row = JsonNodeFactory.instance.objectNode();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          Object value = rows.getObject(i);
          String name = meta.getColumnLabel(i);
          if (value == null) {
            row.putNull(name);
          } else if (value instanceof Number number) {
            row.put(name, number.longValue());
          } else {
            row.put(name, value.toString());
          }
        }
        result.add(row);
      }
      return result;
    }
  }

  Optional<ObjectNode> queryOne(String sql, Object... args) throws SQLException {
    List<ObjectNode> rows = query(sql, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** A stored setting, or {@code fallback} stored now (first start). */
  String setting(String name, java.util.function.Supplier<String> fallback) {
    return transaction(() -> {
      Optional<ObjectNode> row = queryOne("SELECT value FROM settings WHERE name = ?", name);
      if (row.isPresent()) {
        return row.get().get("value").asText();
      }
      String value = fallback.get();
      update("INSERT INTO settings (name, value) VALUES (?, ?)", name, value);
      return value;
    });
  }

  private PreparedStatement prepare(String sql, Object... args) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS);
    for (int i = 0; i < args.length; i++) {
      statement.setObject(i + 1, args[i]);
    }
    return statement;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot close the dev server database: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }
}
