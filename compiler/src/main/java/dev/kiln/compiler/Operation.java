package dev.kiln.compiler;

/**
 * A top-level operation moved into the default export.
 *
 * @param name the callee's name when it is a plain identifier, else {@code null}
 * @param line the 1-based line of the call in the original source ({@code -1} for generated
 *     calls, as the reference does for {@code _defer})
 * @param order the 1-based position in the default export
 */
public record Operation(String name, int line, int order) {}
