package dev.kiln.compiler.parse;

import java.util.HashSet;
import java.util.Set;

/** One lexical scope of the parse: its kind flags and the names declared in it. */
final class Scope {
  static final int TOP = 1;
  static final int FUNCTION = 2;
  static final int ASYNC = 4;
  static final int GENERATOR = 8;
  static final int ARROW = 16;
  static final int SIMPLE_CATCH = 32;
  static final int SUPER = 64;
  static final int DIRECT_SUPER = 128;
  static final int CLASS_STATIC_BLOCK = 256;
  /** Scopes that hold {@code var} declarations. */
  static final int VAR = TOP | FUNCTION | CLASS_STATIC_BLOCK;

  final int flags;
  final Set<String> vars = new HashSet<>();
  final Set<String> lexical = new HashSet<>();
  final Set<String> functions = new HashSet<>();
  /** The name bound by a simple {@code catch (name)}, which a {@code var} may redeclare. */
  String simpleCatchName;
  boolean inClassFieldInit;

  Scope(int flags) {
    this.flags = flags;
  }

  boolean has(int flag) {
    return (flags & flag) != 0;
  }

  static int functionFlags(boolean async, boolean generator) {
    return FUNCTION | (async ? ASYNC : 0) | (generator ? GENERATOR : 0);
  }
}
