package dev.kiln.cli;

/** The openfn CLI's adaptor shorthand: {@code common@1.2} → {@code @openfn/language-common@1.2}. */
final class AdaptorNames {
  private AdaptorNames() {}

  static String expand(String spec) {
    if (spec.contains("/") || spec.endsWith(".js") || spec.contains("=")) {
      return spec;
    }
    String name = spec.startsWith("language-") ? spec : "language-" + spec;
    return "@openfn/" + name;
  }
}
