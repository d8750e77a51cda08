package dev.kiln.compiler;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to compile a job as.
 *
 * @param name the step name: the source map's {@code sources} is {@code [name + ".js"]}, its
 *     {@code file} is {@code name + ".map.js"}; default {@code "src"}
 * @param adaptors the adaptors whose exports add-imports may import; empty: no adaptor imports
 * @param ignoredImports names add-imports must never import (for example workflow globals)
 */
public record CompileOptions(String name, List<AdaptorImports> adaptors, Set<String> ignoredImports) {

  public CompileOptions {
    name = name == null || name.isEmpty() ? "src" : name;
    adaptors = List.copyOf(Objects.requireNonNull(adaptors, "adaptors"));
    ignoredImports = Set.copyOf(Objects.requireNonNull(ignoredImports, "ignoredImports"));
  }

  /** Options for a step called {@code name}, with no adaptors and nothing ignored. */
  public static CompileOptions named(String name) {
    return new CompileOptions(name, List.of(), Set.of());
  }

  /** A copy of these options with {@code adaptor} appended to the adaptor list. */
  public CompileOptions withAdaptor(AdaptorImports adaptor) {
    List<AdaptorImports> more = new ArrayList<>(adaptors);
    more.add(Objects.requireNonNull(adaptor, "adaptor"));
    return new CompileOptions(name, more, ignoredImports);
  }

  /** A copy of these options that never imports any of {@code names}. */
  public CompileOptions withIgnoredImports(Set<String> names) {
    return new CompileOptions(name, adaptors, names);
  }
}
