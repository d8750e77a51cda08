package dev.kiln.lightning.plan;

import java.util.Objects;

/**
 * Collections settings of the worker (spec §4.5): {@code --collections-url} and the resolved
 * {@code --collections-version}.
 *
 * @param url e.g. {@code https://app.openfn.org/collections}
 * @param version the {@code @openfn/language-collections} version appended to jobs that use
 *     {@code collections.}
 */
public record CollectionsWiring(String url, String version) {
  public static final String ADAPTOR = "@openfn/language-collections";

  public CollectionsWiring {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(version, "version");
  }

  String adaptorSpecifier() {
    return ADAPTOR + "@" + version;
  }
}
