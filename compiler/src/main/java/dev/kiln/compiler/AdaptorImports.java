package dev.kiln.compiler;

import java.util.List;
import java.util.Objects;

/**
 * An adaptor add-imports may import from.
 *
 * @param name the import source, without any {@code @version} (for example {@code
 *     @openfn/language-common})
 * @param exports the names the adaptor exports; empty means unknown: then every free identifier
 *     that is not a JavaScript/Node global is imported (the reference's "dumb mode")
 * @param exportAll also emit {@code export * from "<name>"}, so the adaptor's {@code execute}
 *     becomes the job module's
 */
public record AdaptorImports(String name, List<String> exports, boolean exportAll) {
  public AdaptorImports {
    Objects.requireNonNull(name, "name");
    exports = exports == null ? List.of() : List.copyOf(exports);
  }
}
