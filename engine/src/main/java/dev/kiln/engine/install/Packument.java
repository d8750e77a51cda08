package dev.kiln.engine.install;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A package's registry document: its dist-tags and every published version's manifest. */
final class Packument {
  private final String name;
  private final Map<String, String> distTags = new LinkedHashMap<>();
  private final Map<String, JsonNode> versions = new LinkedHashMap<>();
  private final Map<SemverVersion, String> parsedVersions = new LinkedHashMap<>();

  Packument(String name, JsonNode json) {
    this.name = name;
    json.path("dist-tags").properties().forEach(e -> distTags.put(e.getKey(), e.getValue().asText()));
    json.path("versions").properties().forEach(e -> {
      versions.put(e.getKey(), e.getValue());
      SemverVersion.parse(e.getKey()).ifPresent(v -> parsedVersions.put(v, e.getKey()));
    });
  }

  String name() {
    return name;
  }

  Map<String, String> distTags() {
    return distTags;
  }

  Optional<PackageManifest> manifest(String version) {
    JsonNode json = versions.get(version);
    return json == null ? Optional.empty() : Optional.of(PackageManifest.from(name, version, json));
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
    JsonNode json = versions.get(version);
    return json != null && json.hasNonNull("deprecated") && !json.path("deprecated").asText("").isEmpty();
  }
}
