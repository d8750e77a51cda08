package dev.kiln.engine.install;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of one published version's manifest (from the packument) that installing needs.
 * {@code devDependencies} are not read: they are never installed.
 */
record PackageManifest(
    String name,
    String version,
    Map<String, String> dependencies,
    Map<String, String> optionalDependencies,
    Map<String, String> peerDependencies,
    Set<String> optionalPeers,
    Set<String> bundled,
    List<String> os,
    List<String> cpu,
    String integrity,
    String shasum,
    String tarball) {

  static PackageManifest from(String name, String version, JsonNode json) {
    JsonNode dist = json.path("dist");
    Set<String> optionalPeers = new LinkedHashSet<>();
    json.path("peerDependenciesMeta")
        .properties()
        .forEach(e -> {
          if (e.getValue().path("optional").asBoolean(false)) optionalPeers.add(e.getKey());
        });
    Set<String> bundled = new LinkedHashSet<>(strings(json.path("bundleDependencies")));
    bundled.addAll(strings(json.path("bundledDependencies")));
    if (json.path("bundleDependencies").asBoolean(false) || json.path("bundledDependencies").asBoolean(false)) {
      bundled.addAll(map(json.path("dependencies")).keySet()); // "true" bundles every dependency
    }
    return new PackageManifest(
        name,
        version,
        map(json.path("dependencies")),
        map(json.path("optionalDependencies")),
        map(json.path("peerDependencies")),
        Set.copyOf(optionalPeers),
        Set.copyOf(bundled),
        strings(json.path("os")),
        strings(json.path("cpu")),
        dist.path("integrity").asText(null),
        dist.path("shasum").asText(null),
        dist.path("tarball").asText(null));
  }

  /**
   * Every dependency to install, in npm's order of precedence: optional dependencies override
   * regular ones with the same name; peers (npm 7+ installs them) unless marked optional in
   * {@code peerDependenciesMeta}; bundled ones come inside the tarball and are left out.
   */
  Map<String, Dependency> installableDependencies() {
    Map<String, Dependency> out = new LinkedHashMap<>();
    peerDependencies.forEach((n, spec) -> {
      if (!optionalPeers.contains(n)) out.put(n, new Dependency(n, spec, false));
    });
    dependencies.forEach((n, spec) -> out.put(n, new Dependency(n, spec, false)));
    optionalDependencies.forEach((n, spec) -> out.put(n, new Dependency(n, spec, true)));
    bundled.forEach(out::remove);
    return out;
  }

  /** npm's {@code os}/{@code cpu} check: a list of allowed values or {@code !}-negated ones. */
  boolean supportsPlatform(String platform, String arch) {
    return allows(os, platform) && allows(cpu, arch);
  }

  private static boolean allows(List<String> list, String value) {
    if (list.isEmpty()) return true;
    boolean anyPositive = false;
    for (String entry : list) {
      if (entry.equals("!" + value)) return false;
      if (!entry.startsWith("!")) {
        anyPositive = true;
        if (entry.equals(value) || entry.equals("any")) return true;
      }
    }
    return !anyPositive;
  }

  String id() {
    return name + "@" + version;
  }

  record Dependency(String name, String spec, boolean optional) {}

  private static Map<String, String> map(JsonNode node) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node.isObject()) {
      node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText("")));
    }
    return out;
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) node.forEach(n -> out.add(n.asText()));
    else if (node.isTextual()) out.add(node.asText());
    return out;
  }
}
