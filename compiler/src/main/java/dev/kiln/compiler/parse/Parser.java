package dev.kiln.compiler.parse;

import dev.kiln.compiler.ast.Program;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Entry point of the JavaScript parser (ES2023, acorn-compatible trees and error messages).
 *
 * <p>Parsing runs on a dedicated thread with a large stack, so that input nested up to {@link
 * ParserState#MAX_NESTING} levels parses, and deeper input fails with a {@link JsSyntaxError}
 * ("Nesting too deep ...") rather than a StackOverflowError.
 */
public final class Parser {
  private static final long STACK_BYTES = 64L * 1024 * 1024;

  private Parser() {}

  /** Parses job code: an ES module (strict, top-level await, import/export). */
  public static Program parseModule(String source) {
    return parse(source, true);
  }

  /** Parses a classic script (sloppy mode unless "use strict"). */
  public static Program parseScript(String source) {
    return parse(source, false);
  }

  private static Program parse(String source, boolean module) {
    AtomicReference<Program> program = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread = new Thread(null, () -> {
      ModuleParser parser = new ModuleParser(source, module);
      try {
        program.set(parser.parseTopLevel());
      } catch (StackOverflowError overflow) {
        // The nesting limit should make this unreachable; if not, still a clear user error.
        failure.set(parser.error(parser.start, "Nesting too deep for the parser"));
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "kiln-js-parser", STACK_BYTES);
    thread.start();
    try {
      thread.join();
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while parsing", e);
    }
    Throwable t = failure.get();
    if (t instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (t instanceof Error error) {
      throw error;
    }
    return program.get();
  }
}
