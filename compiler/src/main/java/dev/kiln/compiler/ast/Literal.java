package dev.kiln.compiler.ast;

import java.util.function.Consumer;

/** ESTree {@code Literal}: A string, number, boolean, null, regular expression or BigInt literal. {@code value}: String, Double, Boolean, null, {@link java.math.BigInteger} for BigInt, null for a regex. {@code raw} is the source text. */
public record Literal(int start, int end, Object value, String raw, Regex regex, String bigint) implements Node {
  @Override
  public void forEachChild(Consumer<? super Node> visitor) {}

  /** The {@code regex} part of a regular expression literal. */
  public record Regex(String pattern, String flags) {}
}
