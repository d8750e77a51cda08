package dev.kiln.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Looks up a credential by id (a step's {@code configuration} given as a string). Called before
 * the run process starts, so a failure ends the run with {@code CredentialLoadError} and no
 * process is spent on it.
 */
@FunctionalInterface
public interface CredentialResolver {
  /** The credential's configuration object; throws with a message saying why when it cannot. */
  JsonNode resolve(String id) throws Exception;

  /** A resolver for plans without credential ids: every lookup fails. */
  static CredentialResolver none() {
    return id -> {
      throw new IllegalStateException("no credential resolver is configured");
    };
  }
}
