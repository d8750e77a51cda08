package dev.kiln.engine.install;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version as npm's {@code semver} package understands it (strict mode): {@code
 * MAJOR.MINOR.PATCH[-prerelease][+build]}, an optional leading {@code v} or {@code =}. Build
 * metadata is kept for display but ignored by comparisons.
 */
public record SemverVersion(long major, long minor, long patch, List<String> prerelease, String build)
    implements Comparable<SemverVersion> {

  private static final String NUMBER = "0|[1-9]\\d*";
  private static final String IDENTIFIER = "(?:" + NUMBER + "|\\d*[A-Za-z-][0-9A-Za-z-]*)";
  private static final Pattern VERSION =
      Pattern.compile(
          "^\\s*[v=]?\\s*("
              + NUMBER
              + ")\\.("
              + NUMBER
              + ")\\.("
              + NUMBER
              + ")(?:-("
              + IDENTIFIER
              + "(?:\\."
              + IDENTIFIER
              + ")*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?\\s*$");

  public SemverVersion {
    prerelease = List.copyOf(prerelease);
    build = build == null ? "" : build;
  }

  static SemverVersion of(long major, long minor, long patch) {
    return new SemverVersion(major, minor, patch, List.of(), "");
  }

  /** Parses a version, or returns empty when {@code text} is not a valid version. */
  public static Optional<SemverVersion> parse(String text) {
    if (text == null || text.length() > 256) {
      return Optional.empty();
    }
    Matcher m = VERSION.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      List<String> pre = m.group(4) == null ? List.of() : List.of(m.group(4).split("\\."));
      return Optional.of(
          new SemverVersion(
              Long.parseLong(m.group(1)),
              Long.parseLong(m.group(2)),
              Long.parseLong(m.group(3)),
              pre,
              m.group(5)));
    } catch (NumberFormatException tooBig) {
      return Optional.empty();
    }
  }

  public boolean isPrerelease() {
    return !prerelease.isEmpty();
  }

  boolean sameTuple(SemverVersion other) {
    return major == other.major && minor == other.minor && patch == other.patch;
  }

  SemverVersion withPrerelease(String... identifiers) {
    return new SemverVersion(major, minor, patch, new ArrayList<>(List.of(identifiers)), "");
  }

  @Override
  public int compareTo(SemverVersion o) {
    int c = Long.compare(major, o.major);
    if (c == 0) c = Long.compare(minor, o.minor);
    if (c == 0) c = Long.compare(patch, o.patch);
    if (c != 0) return c;
    // a version without prerelease ranks above any prerelease of the same tuple
    if (prerelease.isEmpty() || o.prerelease.isEmpty()) {
      return Boolean.compare(prerelease.isEmpty(), o.prerelease.isEmpty());
    }
    for (int i = 0; i < Math.min(prerelease.size(), o.prerelease.size()); i++) {
      c = compareIdentifier(prerelease.get(i), o.prerelease.get(i));
      if (c != 0) return c;
    }
    return Integer.compare(prerelease.size(), o.prerelease.size());
  }

  private static int compareIdentifier(String a, String b) {
    boolean aNum = a.chars().allMatch(Character::isDigit);
    boolean bNum = b.chars().allMatch(Character::isDigit);
    if (aNum && bNum) {
      String x = a.replaceFirst("^0+(?=\\d)", "");
      String y = b.replaceFirst("^0+(?=\\d)", ""); // loose ranges may carry leading zeros
      int byLength = Integer.compare(x.length(), y.length());
      return byLength != 0 ? byLength : x.compareTo(y);
    }
    if (aNum != bNum) {
      return aNum ? -1 : 1; // numeric identifiers rank below alphanumeric ones
    }
    return a.compareTo(b);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder().append(major).append('.').append(minor).append('.').append(patch);
    if (!prerelease.isEmpty()) s.append('-').append(String.join(".", prerelease));
    if (!build.isEmpty()) s.append('+').append(build);
    return s.toString();
  }
}
