package dev.kiln.compiler.scope;

import java.util.HashSet;
import java.util.Set;

/** A lexical scope: the module, a function (also static blocks), or a block (also catch, class, for heads). */
final class Scope {
  /** What kind of construct opened the scope; {@code var} declarations go to the nearest non-block scope. */
  enum Kind { PROGRAM, FUNCTION, BLOCK }

  private final Kind kind;
  private final Scope parent;
  private final Set<String> declared = new HashSet<>();

  Scope(Kind kind, Scope parent) {
    this.kind = kind;
    this.parent = parent;
  }

  void declare(String name) {
    declared.add(name);
  }

  /** The nearest scope that takes {@code var} and function-body declarations. */
  Scope functionScope() {
    Scope s = this;
    while (s.kind == Kind.BLOCK) {
      s = s.parent;
    }
    return s;
  }

  /** The scope that declares {@code name}, searching outwards, or null when it is free. */
  Scope resolve(String name) {
    for (Scope s = this; s != null; s = s.parent) {
      if (s.declared.contains(name)) {
        return s;
      }
    }
    return null;
  }
}
