package dev.kiln.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Resolves every step {@code configuration} given as a credential id (spec §1.10) before the
 * run process starts; the run frame carries them as {@code credentials: {id: object}}.
 */
final class CredentialPreloader {
  private CredentialPreloader() {}

  /** Thrown when any id cannot be resolved; the message has one line per id. */
  static final class CredentialLoadException extends Exception {
    CredentialLoadException(String message) {
      super(message);
    }
  }

  /** The plan's credentials by id. */
  static ObjectNode preload(JsonNode plan, CredentialResolver resolver) throws CredentialLoadException {
    Set<String> ids = new LinkedHashSet<>();
    for (JsonNode step : Plans.steps(plan)) {
      JsonNode configuration = step.get("configuration");
      if (configuration != null && configuration.isTextual()) {
        ids.add(configuration.asText());
      }
    }
    ObjectNode credentials = JsonNodeFactory.instance.objectNode();
    List<String> failures = new ArrayList<>();
    for (String id : ids) {
      try {
        JsonNode credential = resolver.resolve(id);
        if (credential == null || !credential.isObject()) {
          throw new IllegalStateException("the credential is not a JSON object");
        }
        credentials.set(id, credential);
      } catch (Exception e) {
        failures.add("Failed to load credential " + id + ": " + e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      throw new CredentialLoadException(String.join("\n", failures));
    }
    return credentials;
  }
}
