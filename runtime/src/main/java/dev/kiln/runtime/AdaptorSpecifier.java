package dev.kiln.runtime;

/**
 * An adaptor specifier {@code name@version}, split at the last {@code @} when it is not the first
 * character ({@code @openfn/language-common@3.3.4} → {@code @openfn/language-common}, {@code 3.3.4}).
 *
 * @param version null when the specifier has none
 */
record AdaptorSpecifier(String name, String version) {
  static AdaptorSpecifier parse(String specifier) {
    int at = specifier.lastIndexOf('@');
    return at > 0
        ? new AdaptorSpecifier(specifier.substring(0, at), specifier.substring(at + 1))
        : new AdaptorSpecifier(specifier, null);
  }

  /** The repo alias {@code name_version} under which the package is installed. */
  String alias() {
    return version == null ? name : name + "_" + version;
  }
}
