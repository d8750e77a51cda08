package dev.kiln.engine.install;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A version range with the semantics of npm's {@code semver} package in the loose mode npm uses
 * for dependency specs (leading zeros and a prerelease without its dash, {@code 1.2.3beta}, are
 * accepted), without {@code includePrerelease}: {@code ||} alternatives of comparator sets; each set is a
 * hyphen range ({@code 1.2 - 2}) or space-separated comparators ({@code >=1.2.3 <2}), carets,
 * tildes and x-ranges ({@code 1.x}, {@code 1.2.*}, {@code *}, empty). Every set is reduced to
 * primitive comparators exactly as {@code semver} desugars it ({@code ^1.2.3} is {@code >=1.2.3
 * <2.0.0-0}).
 *
 * <p>Prerelease rule: a prerelease version satisfies a set only if one of the set's comparators
 * names a prerelease of the same {@code major.minor.patch} ({@code 1.2.3-beta.4} satisfies {@code
 * >=1.2.3-beta.2} but not {@code >=1.0.0}).
 */
public final class SemverRange {

  private static final String PART = "\\d+|[xX*]";
  private static final String PRE = "[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*";
  private static final String PARTIAL =
      "[v=\\s]*(" + PART + ")(?:\\.(" + PART + ")(?:\\.(" + PART + ")(?:-?(" + PRE + "))?(?:\\+" + PRE + ")?)?)?";
  private static final Pattern HYPHEN =
      Pattern.compile("^\\s*" + PARTIAL + "\\s+-\\s+" + PARTIAL + "\\s*$");
  private static final Pattern COMPARATOR =
      Pattern.compile("^(~>?|\\^|>=|<=|>|<|=)?" + PARTIAL + "$");
  private static final Pattern OPERATOR_SPACE = Pattern.compile("(~>?|\\^|>=|<=|>|<|=)\\s+");

  private final String text;
  private final List<List<Comparator>> sets;

  private SemverRange(String text, List<List<Comparator>> sets) {
    this.text = text;
    this.sets = sets;
  }

  /** Parses a range, or returns empty when {@code text} is not a valid range. */
  public static Optional<SemverRange> parse(String text) {
    if (text == null || text.length() > 1024) {
      return Optional.empty();
    }
    List<List<Comparator>> sets = new ArrayList<>();
    for (String alternative : text.split("\\|\\|", -1)) {
      List<Comparator> set;
      try {
        set = parseSet(alternative.trim());
      } catch (NumberFormatException tooBig) {
        return Optional.empty();
      }
      if (set == null) {
        return Optional.empty();
      }
      sets.add(set);
    }
    return Optional.of(new SemverRange(text.trim(), List.copyOf(sets)));
  }

  public boolean isSatisfiedBy(SemverVersion version) {
    for (List<Comparator> set : sets) {
      if (satisfiesSet(set, version)) {
        return true;
      }
    }
    return false;
  }

  /** The highest of {@code versions} that satisfies this range. */
  public Optional<SemverVersion> maxSatisfying(Collection<SemverVersion> versions) {
    return versions.stream().filter(this::isSatisfiedBy).max(SemverVersion::compareTo);
  }

  @Override
  public String toString() {
    return text;
  }

  /** The desugared primitive form, e.g. {@code >=1.2.3 <2.0.0-0}, sets joined by {@code ||}. */
  String primitives() {
    List<String> out = new ArrayList<>();
    for (List<Comparator> set : sets) {
      List<String> parts = new ArrayList<>();
      for (Comparator c : set) parts.add(c.toString());
      out.add(String.join(" ", parts));
    }
    return String.join("||", out);
  }

  private static boolean satisfiesSet(List<Comparator> set, SemverVersion version) {
    for (Comparator c : set) {
      if (!c.test(version)) {
        return false;
      }
    }
    if (!version.isPrerelease()) {
      return true;
    }
    for (Comparator c : set) {
      if (c.version != null && c.version.isPrerelease() && c.version.sameTuple(version)) {
        return true;
      }
    }
    return false;
  }

  private static List<Comparator> parseSet(String set) {
    List<Comparator> out = new ArrayList<>();
    Matcher hyphen = HYPHEN.matcher(set);
    if (hyphen.matches()) {
      Partial from = Partial.of(hyphen, 1);
      Partial to = Partial.of(hyphen, 5);
      if (from.major != null) out.addAll(desugar(">=", from));
      if (to.major != null) {
        out.addAll(desugar(to.patch == null ? "<" : "<=", to.patch == null ? to.bump() : to));
      }
      return out.isEmpty() ? List.of(Comparator.ANY) : out;
    }
    String squeezed = OPERATOR_SPACE.matcher(set).replaceAll("$1");
    if (squeezed.isBlank()) {
      return List.of(Comparator.ANY);
    }
    for (String token : squeezed.trim().split("\\s+")) {
      Matcher m = COMPARATOR.matcher(token);
      if (!m.matches()) {
        return null;
      }
      String op = m.group(1) == null ? "" : m.group(1);
      out.addAll(desugar(op, Partial.of(m, 2)));
    }
    return out;
  }

  /** The primitive comparators for one operator applied to a (possibly partial) version. */
  private static List<Comparator> desugar(String op, Partial p) {
    if (p.major == null) {
      return List.of(op.equals(">") || op.equals("<") ? Comparator.NONE : Comparator.ANY);
    }
    long major = p.major;
    long minor = p.minor == null ? 0 : p.minor;
    long patch = p.patch == null ? 0 : p.patch;
    SemverVersion floor =
        p.patch != null && p.pre != null
            ? SemverVersion.of(major, minor, patch).withPrerelease(p.pre.split("\\."))
            : SemverVersion.of(major, minor, patch);
    switch (op) {
      case "^":
        if (p.minor == null || major > 0) {
          return range(floor, SemverVersion.of(major + 1, 0, 0));
        }
        if (p.patch == null || minor > 0) {
          return range(floor, SemverVersion.of(0, minor + 1, 0));
        }
        return range(floor, SemverVersion.of(0, 0, patch + 1));
      case "~":
      case "~>":
        if (p.minor == null) {
          return range(floor, SemverVersion.of(major + 1, 0, 0));
        }
        return range(floor, SemverVersion.of(major, minor + 1, 0));
      case ">":
        if (p.patch != null) {
          return List.of(new Comparator(">", floor));
        }
        return List.of(new Comparator(">=", p.bump().floor()));
      case ">=":
        return List.of(new Comparator(">=", floor));
      case "<":
        if (p.patch != null) {
          return List.of(new Comparator("<", floor));
        }
        return List.of(new Comparator("<", floor.withPrerelease("0")));
      case "<=":
        if (p.patch != null) {
          return List.of(new Comparator("<=", floor));
        }
        return List.of(new Comparator("<", p.bump().floor().withPrerelease("0")));
      default: // "" or "="
        if (p.patch != null) {
          return List.of(new Comparator("=", floor));
        }
        return range(floor, p.bump().floor());
    }
  }

  private static List<Comparator> range(SemverVersion floor, SemverVersion ceiling) {
    return List.of(new Comparator(">=", floor), new Comparator("<", ceiling.withPrerelease("0")));
  }

  /** A version whose minor and/or patch may be missing or {@code x}. */
  private record Partial(Long major, Long minor, Long patch, String pre) {
    static Partial of(Matcher m, int first) {
      Long major = number(m.group(first));
      Long minor = major == null ? null : number(m.group(first + 1));
      Long patch = minor == null ? null : number(m.group(first + 2));
      return new Partial(major, minor, patch, patch == null ? null : m.group(first + 3));
    }

    private static Long number(String part) {
      if (part == null || part.equals("x") || part.equals("X") || part.equals("*")) {
        return null;
      }
      return Long.parseLong(part);
    }

    /** The partial with its last given component incremented: {@code 1} → {@code 2}, {@code 1.2} → {@code 1.3}. */
    Partial bump() {
      return minor == null ? new Partial(major + 1, null, null, null) : new Partial(major, minor + 1, null, null);
    }

    SemverVersion floor() {
      return SemverVersion.of(major, minor == null ? 0 : minor, patch == null ? 0 : patch);
    }
  }

  private record Comparator(String op, SemverVersion version) {
    static final Comparator ANY = new Comparator("", null);
    static final Comparator NONE = new Comparator("<", SemverVersion.of(0, 0, 0).withPrerelease("0"));

    boolean test(SemverVersion v) {
      if (version == null) {
        return true;
      }
      int c = v.compareTo(version);
      return switch (op) {
        case ">" -> c > 0;
        case ">=" -> c >= 0;
        case "<" -> c < 0;
        case "<=" -> c <= 0;
        default -> c == 0;
      };
    }

    @Override
    public String toString() {
      return version == null ? "*" : op + version;
    }
  }
}
