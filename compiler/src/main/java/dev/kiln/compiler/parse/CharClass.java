package dev.kiln.compiler.parse;

/** ECMAScript character classes: identifier characters, white space, line terminators. */
final class CharClass {
  private CharClass() {}

  static boolean isIdentifierStart(int cp) {
    if (cp < 128) {
      return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '$' || cp == '_';
    }
    return Character.isUnicodeIdentifierStart(cp) && !Character.isIdentifierIgnorable(cp);
  }

  static boolean isIdentifierChar(int cp) {
    if (cp < 128) {
      return (cp >= 'a' && cp <= 'z')
          || (cp >= 'A' && cp <= 'Z')
          || (cp >= '0' && cp <= '9')
          || cp == '$'
          || cp == '_';
    }
    if (cp == 0x200c || cp == 0x200d) {
      return true;
    }
    return Character.isUnicodeIdentifierPart(cp) && !Character.isIdentifierIgnorable(cp);
  }

  static boolean isNewLine(int c) {
    return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;
  }

  static boolean isWhiteSpace(int c) {
    return c == ' '
        || c == '\t'
        || c == 0x0b
        || c == 0x0c
        || c == 0xa0
        || c == 0xfeff
        || (c > 0xff && Character.getType(c) == Character.SPACE_SEPARATOR);
  }
}
