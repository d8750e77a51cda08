package dev.kiln.engine.install;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A package's registry document: its dist-tags and every published version's manifest.
 *
 * <p>Read as a stream, one version at a time, keeping only what installing needs: a packument's
 * JSON tree is many times its text, and an install holds the packuments of a whole dependency
 * tree at once (language-common's grew the worker's heap by ~60 MB while installing).
 */
final class Packument {
  private final String name;
  private final Map<String, String> distTags = new LinkedHashMap<>();
  private final Map<String, PackageManifest> versions = new LinkedHashMap<>();
  private final Map<String, Boolean> deprecated = new LinkedHashMap<>();
  private final Map<SemverVersion, String> parsedVersions = new LinkedHashMap<>();

  private Packument(String name) {
    this.name = name;
  }

  /** Reads the packument of {@code name} from {@code json}, positioned before its top-level object. */
  static Packument read(String name, JsonParser json) throws IOException {
    Packument packument = new Packument(name);
    if (json.nextToken() != JsonToken.START_OBJECT) {
      throw new IOException("a packument is a JSON object");
    }
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String field = json.currentName();
      json.nextToken();
      switch (field) {
        case "dist-tags" -> json.<JsonNode>readValueAsTree().properties()
            .forEach(e -> packument.distTags.put(e.getKey(), e.getValue().asText()));
        case "versions" -> packument.readVersions(json);
        default -> json.skipChildren();
      }
    }
    return packument;
  }

  private void readVersions(JsonParser json) throws IOException {
    if (json.currentToken() != JsonToken.START_OBJECT) {
      json.skipChildren();
      return;
    }
    while (json.nextToken() == JsonToken.FIELD_NAME) {
      String version = json.currentName();
      json.nextToken();
      JsonNode manifest = json.readValueAsTree();
      versions.put(version, PackageManifest.from(name, version, manifest));
      deprecated.put(version, manifest.hasNonNull("deprecated") && !manifest.path("deprecated").asText("").isEmpty());
      SemverVersion.parse(version).ifPresent(v -> parsedVersions.put(v, version));
    }
  }

  String name() {
    return name;
  }

  Map<String, String> distTags() {
    return distTags;
  }

  Optional<PackageManifest> manifest(String version) {
    return Optional.ofNullable(versions.get(version));
  }

  /** Published versions that are valid semver, highest first. */
  List<SemverVersion> versionsDescending() {
    List<SemverVersion> out = new ArrayList<>(parsedVersions.keySet());
    out.sort((a, b) -> b.compareTo(a));
    return out;
  }

  String published(SemverVersion v) {
    return parsedVersions.get(v);
  }

  boolean isDeprecated(String version) {
    return deprecated.getOrDefault(version, false);
  }
}
