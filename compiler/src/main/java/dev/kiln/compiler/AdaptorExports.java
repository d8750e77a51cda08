package dev.kiln.compiler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the names an installed adaptor package exports from its TypeScript declarations, as the
 * reference's {@code preloadAdaptorExports} does: the file named by {@code types} (or {@code
 * typings}) in {@code package.json}, plus {@code adaptor.d.ts}/{@code Adaptor.d.ts} next to it.
 * Unlike the reference, relative {@code export * from './x'} re-exports are followed, and exported
 * consts, classes, enums and namespaces count as well as functions; interfaces, types and {@code
 * default} never do.
 */
public final class AdaptorExports {
  private AdaptorExports() {}

  /** The names an installed adaptor package exports, read from its type declarations as the reference does. */
  public static List<String> fromPackage(Path packageRoot) {
    Path manifest = packageRoot.resolve("package.json");
    JsonNode pkg;
    try {
      pkg = new ObjectMapper().readTree(manifest.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read adaptor package " + manifest + ": " + e.getMessage(), e);
    }
    String types = pkg.path("types").asText(pkg.path("typings").asText(""));
    if (types.isEmpty()) {
      return List.of();
    }
    Path typesFile = packageRoot.resolve(types).normalize();
    Deque<Path> pending = new ArrayDeque<>();
    pending.add(typesFile);
    Path dir = typesFile.getParent();
    for (String name : List.of("adaptor.d.ts", "Adaptor.d.ts")) {
      if (Files.isRegularFile(dir.resolve(name))) {
        pending.add(dir.resolve(name));
        break;
      }
    }
    Set<String> names = new LinkedHashSet<>();
    Set<Path> seen = new HashSet<>();
    while (!pending.isEmpty()) {
      Path file = pending.removeFirst();
      if (!seen.add(file) || !Files.isRegularFile(file)) {
        continue;
      }
      String text;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read adaptor types " + file + ": " + e.getMessage(), e);
      }
      DeclarationExports found = DeclarationExports.scan(text);
      names.addAll(found.names());
      for (String specifier : found.reExportedModules()) {
        resolveDeclarationFile(file.getParent(), specifier).ifPresent(pending::add);
      }
    }
    names.remove("default");
    return List.copyOf(new ArrayList<>(names));
  }

  private static java.util.Optional<Path> resolveDeclarationFile(Path dir, String specifier) {
    if (!specifier.startsWith(".")) {
      return java.util.Optional.empty();
    }
    String base = specifier.replaceAll("\\.(js|mjs|cjs|d\\.ts|ts)$", "");
    for (String candidate : List.of(base + ".d.ts", base + "/index.d.ts")) {
      Path path = dir.resolve(candidate).normalize();
      if (Files.isRegularFile(path)) {
        return java.util.Optional.of(path);
      }
    }
    return java.util.Optional.empty();
  }
}
