package dev.kiln.engine.install;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Chooses the version a wanted spec means, as npm's {@code npm-pick-manifest} does: a dist-tag
 * ({@code latest}, {@code next}, …) is that tag's version; an exact version must be published;
 * for a range, the {@code latest} tag's version wins when it satisfies the range, else the
 * highest satisfying version that is not deprecated, else the highest satisfying one.
 */
final class VersionPicker {
  private static final int VERSIONS_IN_MESSAGES = 5;

  private VersionPicker() {}

  static PackageManifest pick(Packument packument, String wanted) throws AdaptorInstallException {
    String spec = wanted == null || wanted.isBlank() ? "latest" : wanted.strip();
    String name = packument.name();
    String tagged = packument.distTags().get(spec);
    if (tagged != null) {
      return packument.manifest(tagged).orElseThrow(() -> new AdaptorInstallException(
          "The registry's dist-tag " + name + "@" + spec + " points to version " + tagged
              + ", which is not published; ask the package's maintainers, or pick a version: "
              + available(packument)));
    }
    Optional<SemverVersion> exact = SemverVersion.parse(spec);
    if (exact.isPresent()) {
      String published = packument.published(exact.get());
      if (published == null) {
        throw new AdaptorInstallException(
            "Version " + exact.get() + " of " + name + " is not published. " + available(packument));
      }
      return packument.manifest(published).orElseThrow();
    }
    SemverRange range = SemverRange.parse(spec).orElseThrow(() -> new AdaptorInstallException(
        "\"" + spec + "\" (wanted for " + name + ") is neither a version, a semver range nor one of"
            + " its dist-tags (" + tags(packument) + ")"));
    String latest = packument.distTags().get("latest");
    Optional<SemverVersion> latestVersion = latest == null ? Optional.empty() : SemverVersion.parse(latest);
    if (latestVersion.isPresent() && range.isSatisfiedBy(latestVersion.get()) && packument.manifest(latest).isPresent()) {
      return packument.manifest(latest).get();
    }
    List<SemverVersion> satisfying =
        packument.versionsDescending().stream().filter(range::isSatisfiedBy).toList();
    if (satisfying.isEmpty()) {
      throw new AdaptorInstallException(
          "No published version of " + name + " matches \"" + spec + "\". " + available(packument));
    }
    String chosen = satisfying.stream()
        .map(packument::published)
        .filter(v -> !packument.isDeprecated(v))
        .findFirst()
        .orElse(packument.published(satisfying.get(0)));
    return packument.manifest(chosen).orElseThrow();
  }

  private static String available(Packument packument) {
    List<SemverVersion> versions = packument.versionsDescending();
    if (versions.isEmpty()) {
      return "It has no published versions.";
    }
    String latest = versions.stream()
        .limit(VERSIONS_IN_MESSAGES)
        .map(packument::published)
        .collect(Collectors.joining(", "));
    return "Latest versions: " + latest + (versions.size() > VERSIONS_IN_MESSAGES ? ", …" : "")
        + " (dist-tags: " + tags(packument) + "). Use one of these, or @latest.";
  }

  private static String tags(Packument packument) {
    return packument.distTags().entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", "));
  }
}
