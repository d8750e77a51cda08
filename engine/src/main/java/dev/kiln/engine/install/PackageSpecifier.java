package dev.kiln.engine.install;

import java.util.regex.Pattern;

/**
 * A package name and the wanted version, split as the reference's {@code getNameAndVersion}
 * does: at the last {@code @} when it is not the first character ({@code @openfn/language-common@3.3.4}
 * → {@code @openfn/language-common} and {@code 3.3.4}). The wanted version is a dist-tag, an
 * exact version, a range, or {@code local}; it is {@code latest} when the specifier has none.
 */
public record PackageSpecifier(String name, String wanted) {

  /**
   * npm's rules for a package name (url-safe characters, optional scope, at most 214 chars);
   * upper case is accepted because old packages that are still depended upon use it. The rules
   * also keep a name from being a path that leaves {@code node_modules}.
   */
  private static final Pattern NAME =
      Pattern.compile("^(?:@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9][a-z0-9._~-]*$", Pattern.CASE_INSENSITIVE);

  static final String LOCAL = "local";

  public static PackageSpecifier parse(String specifier) throws AdaptorInstallException {
    String s = specifier == null ? "" : specifier.trim();
    int at = s.lastIndexOf('@');
    String name = at > 0 ? s.substring(0, at) : s;
    String wanted = at > 0 ? s.substring(at + 1).trim() : "";
    checkName(name, specifier);
    return new PackageSpecifier(name, wanted.isEmpty() ? "latest" : wanted);
  }

  static void checkName(String name, String context) throws AdaptorInstallException {
    if (name.length() > 214 || !NAME.matcher(name).matches()) {
      throw new AdaptorInstallException(
          "Invalid package name \"" + name + "\" in \"" + context + "\": npm names are lower case,"
              + " like @openfn/language-http or lodash, optionally followed by @<version>");
    }
  }

  boolean isLocal() {
    return wanted.equals(LOCAL);
  }

  /** The repo alias the reference installs a version under: {@code <name>_<version>}. */
  static String alias(String name, String version) {
    return name + "_" + version;
  }

  @Override
  public String toString() {
    return name + "@" + wanted;
  }
}
