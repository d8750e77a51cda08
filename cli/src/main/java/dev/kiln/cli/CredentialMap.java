package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.engine.CredentialResolver;
import java.io.IOException;
import java.nio.file.Path;

/** The {@code --credentials map.json} file: credential id → configuration object. */
final class CredentialMap implements CredentialResolver {
  private final Path file;
  private final JsonNode map;

  private CredentialMap(Path file, JsonNode map) {
    this.file = file;
    this.map = map;
  }

  static CredentialMap read(Path file) throws IOException {
    JsonNode map = new ObjectMapper().readTree(file.toFile());
    if (map == null || !map.isObject()) {
      throw new IOException(file + " must hold a JSON object: {\"<credential id>\": {...}}");
    }
    return new CredentialMap(file, map);
  }

  /** For a run without {@code --credentials}: every id is an error that says how to fix it. */
  static CredentialResolver absent() {
    return id -> {
      throw new IllegalArgumentException("no credentials map given: pass --credentials <map.json> with an entry \""
          + id + "\", or give the step an inline configuration object");
    };
  }

  @Override
  public JsonNode resolve(String id) {
    JsonNode credential = map.get(id);
    if (credential == null) {
      throw new IllegalArgumentException("not in the credentials map " + file
          + ": add \"" + id + "\": {...} to it");
    }
    return credential;
  }
}
