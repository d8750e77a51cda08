package dev.kiln.compiler.ast;

/** A comment's span: {@code //...} (block false) or {@code /*...*\/} (block true), delimiters included. */
public record Comment(int start, int end, boolean block) {}
