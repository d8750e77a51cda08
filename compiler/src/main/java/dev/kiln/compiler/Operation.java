package dev.kiln.compiler;

/**
 * A top-level operation moved into the default export.
 *
 * @param name the callee's name when it is a plain identifier, else {@code null}
 * @param line the 1-based line of the call in the original source (also for a promise chain
 *     rebuilt as {@code _defer(...)}, where the reference reports {@code -1})
 * @param order 1-based: the n-th operation the compiler put into the default export (after any
 *     elements the job's own {@code export default [...]} already had, as in the reference)
 */
public record Operation(String name, int line, int order) {}
