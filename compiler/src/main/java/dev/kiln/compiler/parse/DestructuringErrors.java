package dev.kiln.compiler.parse;

/**
 * Positions of constructs that are valid only if the expression being parsed turns out to be
 * a pattern (or only if it does not), as acorn tracks them for the cover grammar. -1 = none.
 */
final class DestructuringErrors {
  int shorthandAssign = -1;
  int trailingComma = -1;
  int parenthesizedAssign = -1;
  int parenthesizedBind = -1;
  int doubleProto = -1;
}
