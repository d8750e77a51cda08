package dev.kiln.compiler.parse;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Early errors of regular expression literals: the pattern grammar of ES2023 (with the Annex B
 * leniencies outside unicode mode), group names and back references, quantifier bounds and
 * class ranges. Unicode property names are checked for shape only, not against the tables.
 */
final class RegexValidator {
  private final Tokenizer tokenizer;
  private final int patternStart;
  private final String pattern;
  private final String flags;
  private final boolean unicode;
  private final boolean unicodeSets;
  private int pos;
  private int groupCount;
  private final Set<String> groupNames = new HashSet<>();
  private final List<String> backReferenceNames = new ArrayList<>();
  private int maxBackReference;
  private boolean hasNamedGroups;

  RegexValidator(Tokenizer tokenizer, int patternStart, String pattern, String flags) {
    this.tokenizer = tokenizer;
    this.patternStart = patternStart;
    this.pattern = pattern;
    this.flags = flags;
    this.unicodeSets = flags.indexOf('v') >= 0;
    this.unicode = flags.indexOf('u') >= 0 || unicodeSets;
  }

  void validate() {
    hasNamedGroups = pattern.contains("(?<") && hasNamedGroupSyntax();
    disjunction();
    if (pos < pattern.length()) {
      if (current() == ')') {
        throw fail("Unmatched ')'");
      }
      if (current() == ']' || current() == '}') {
        throw fail("Lone quantifier brackets");
      }
      throw fail("Unexpected character");
    }
    if (unicode || hasNamedGroups) {
      for (String name : backReferenceNames) {
        if (!groupNames.contains(name)) {
          throw fail("Invalid named capture referenced");
        }
      }
    }
    if (maxBackReference > groupCount && unicode) {
      throw fail("Invalid escape");
    }
  }

  private boolean hasNamedGroupSyntax() {
    int at = -1;
    while ((at = pattern.indexOf("(?<", at + 1)) >= 0) {
      char next = at + 3 < pattern.length() ? pattern.charAt(at + 3) : 0;
      if (next != '=' && next != '!' && (at == 0 || pattern.charAt(at - 1) != '\\')) {
        return true;
      }
    }
    return false;
  }

  private JsSyntaxError fail(String message) {
    return tokenizer.error(patternStart, "Invalid regular expression: /" + pattern + "/: " + message);
  }

  private int current() {
    return pos < pattern.length() ? pattern.codePointAt(pos) : -1;
  }

  private int lookahead() {
    int next = pos + (pos < pattern.length() ? Character.charCount(pattern.codePointAt(pos)) : 0);
    return next < pattern.length() ? pattern.codePointAt(next) : -1;
  }

  private void advance() {
    if (pos < pattern.length()) {
      pos += unicode ? Character.charCount(pattern.codePointAt(pos)) : 1;
    }
  }

  private boolean eat(int c) {
    if (current() == c) {
      advance();
      return true;
    }
    return false;
  }

  private boolean eatString(String text) {
    if (pattern.startsWith(text, pos)) {
      pos += text.length();
      return true;
    }
    return false;
  }

  private void disjunction() {
    alternative();
    while (eat('|')) {
      alternative();
    }
    if (eatQuantifier(true)) {
      throw fail("Nothing to repeat");
    }
    if (eat('{')) {
      throw fail("Lone quantifier brackets");
    }
  }

  private void alternative() {
    while (pos < pattern.length() && term()) {
      // keep going
    }
  }

  private boolean term() {
    int c = current();
    if (c == '|' || c == ')') {
      return false;
    }
    // Assertions.
    if (c == '^' || c == '$') {
      advance();
      return true;
    }
    if (c == '\\' && (lookahead() == 'b' || lookahead() == 'B')) {
      pos += 2;
      return true;
    }
    if (eatString("(?=") || eatString("(?!")) {
      disjunction();
      if (!eat(')')) {
        throw fail("Unterminated group");
      }
      if (!unicode) {
        eatQuantifier(false);
      } else if (eatQuantifier(true)) {
        throw fail("Nothing to repeat");
      }
      return true;
    }
    if (eatString("(?<=") || eatString("(?<!")) {
      disjunction();
      if (!eat(')')) {
        throw fail("Unterminated group");
      }
      if (eatQuantifier(true)) {
        throw fail("Nothing to repeat");
      }
      return true;
    }
    if (atom()) {
      eatQuantifier(false);
      return true;
    }
    return false;
  }

  /** A quantifier; with {@code noError} it only tests, and returns whether one is there. */
  private boolean eatQuantifier(boolean noError) {
    int c = current();
    if (c == '*' || c == '+' || c == '?') {
      if (noError) {
        return true;
      }
      advance();
      eat('?');
      return true;
    }
    if (c == '{') {
      int start = pos;
      advance();
      int min = digits();
      if (min >= 0) {
        long max = min;
        if (eat(',')) {
          int parsed = digits();
          max = parsed < 0 ? Long.MAX_VALUE : parsed;
        }
        if (eat('}')) {
          if (noError) {
            pos = start;
            return true;
          }
          if (max < min) {
            throw fail("numbers out of order in {} quantifier");
          }
          eat('?');
          return true;
        }
      }
      if (unicode && !noError) {
        throw fail("Incomplete quantifier");
      }
      pos = start;
    }
    return false;
  }

  /** Decimal digits as an int (saturating), or -1 when there are none. */
  private int digits() {
    int start = pos;
    long value = 0;
    while (current() >= '0' && current() <= '9') {
      value = Math.min(Integer.MAX_VALUE, value * 10 + (current() - '0'));
      advance();
    }
    return pos == start ? -1 : (int) value;
  }

  private boolean atom() {
    int c = current();
    switch (c) {
      case '.' -> {
        advance();
        return true;
      }
      case '\\' -> {
        advance();
        atomEscape();
        return true;
      }
      case '[' -> {
        advance();
        characterClass();
        return true;
      }
      case '(' -> {
        advance();
        group();
        return true;
      }
      case '*', '+', '?' -> throw fail("Nothing to repeat");
      case '{' -> {
        if (unicode) {
          throw fail("Lone quantifier brackets");
        }
        if (eatQuantifier(true)) {
          throw fail("Nothing to repeat");
        }
        advance();
        return true;
      }
      case ']', '}' -> {
        if (unicode) {
          throw fail("Lone quantifier brackets");
        }
        advance();
        return true;
      }
      default -> {
        advance();
        return true;
      }
    }
  }

  private void group() {
    if (eat('?')) {
      if (eat(':')) {
        // non-capturing
      } else if (current() == '<') {
        advance();
        String name = groupName();
        if (!groupNames.add(name)) {
          throw fail("Duplicate capture group name");
        }
        groupCount++;
      } else {
        throw fail("Invalid group");
      }
    } else {
      groupCount++;
    }
    disjunction();
    if (!eat(')')) {
      throw fail("Unterminated group");
    }
  }

  /** After {@code <}: an identifier name and {@code >}. */
  private String groupName() {
    StringBuilder name = new StringBuilder();
    boolean first = true;
    while (true) {
      int c = current();
      if (c == '>') {
        advance();
        break;
      }
      if (c == '\\') {
        advance();
        if (!eat('u')) {
          throw fail("Invalid capture group name");
        }
        c = unicodeEscapeInName();
      } else if (c < 0) {
        throw fail("Invalid capture group name");
      } else {
        pos += Character.charCount(c);
      }
      if (!(first ? CharClass.isIdentifierStart(c) : CharClass.isIdentifierChar(c))) {
        throw fail("Invalid capture group name");
      }
      name.appendCodePoint(c);
      first = false;
    }
    if (name.isEmpty()) {
      throw fail("Invalid capture group name");
    }
    return name.toString();
  }

  private int unicodeEscapeInName() {
    if (eat('{')) {
      int value = hexDigits(Integer.MAX_VALUE);
      if (value < 0 || value > 0x10FFFF || !eat('}')) {
        throw fail("Invalid unicode escape");
      }
      return value;
    }
    int lead = fixedHex(4);
    if (lead < 0) {
      throw fail("Invalid unicode escape");
    }
    if (Character.isHighSurrogate((char) lead) && pattern.startsWith("\\u", pos)) {
      int save = pos;
      pos += 2;
      int trail = fixedHex(4);
      if (trail >= 0 && Character.isLowSurrogate((char) trail)) {
        return Character.toCodePoint((char) lead, (char) trail);
      }
      pos = save;
    }
    return lead;
  }

  private int fixedHex(int count) {
    int start = pos;
    int value = 0;
    for (int i = 0; i < count; i++) {
      int digit = current() < 0 ? -1 : Character.digit(current(), 16);
      if (digit < 0 || current() > 'f') {
        pos = start;
        return -1;
      }
      value = value * 16 + digit;
      advance();
    }
    return value;
  }

  private int hexDigits(int max) {
    int start = pos;
    long value = 0;
    while (current() >= 0 && Character.digit(current(), 16) >= 0 && current() <= 'f') {
      value = Math.min((long) max + 1, value * 16 + Character.digit(current(), 16));
      advance();
    }
    return pos == start ? -1 : (int) Math.min(value, Integer.MAX_VALUE);
  }

  /** After a backslash outside a class. */
  private void atomEscape() {
    int c = current();
    if (c < 0) {
      throw fail("\\ at end of pattern");
    }
    if (c >= '1' && c <= '9') {
      int start = pos;
      int n = digits();
      if (unicode || n <= countAllGroups()) {
        maxBackReference = Math.max(maxBackReference, n);
        return;
      }
      pos = start;
      legacyOctalOrIdentity();
      return;
    }
    if (c == 'k') {
      advance();
      if (eat('<')) {
        backReferenceNames.add(groupName());
      } else if (unicode || hasNamedGroups) {
        throw fail("Invalid named reference");
      }
      return;
    }
    characterEscape(false);
  }

  private int allGroups = -1;

  private int countAllGroups() {
    if (allGroups < 0) {
      int count = 0;
      boolean inClass = false;
      for (int i = 0; i < pattern.length(); i++) {
        char c = pattern.charAt(i);
        if (c == '\\') {
          i++;
        } else if (c == '[') {
          inClass = true;
        } else if (c == ']') {
          inClass = false;
        } else if (c == '(' && !inClass
            && (i + 1 >= pattern.length() || pattern.charAt(i + 1) != '?'
                || (i + 2 < pattern.length() && pattern.charAt(i + 2) == '<'
                    && i + 3 < pattern.length() && pattern.charAt(i + 3) != '=' && pattern.charAt(i + 3) != '!'))) {
          count++;
        }
      }
      allGroups = count;
    }
    return allGroups;
  }

  private void legacyOctalOrIdentity() {
    int c = current();
    if (c >= '0' && c <= '7') {
      advance();
      if (current() >= '0' && current() <= '7') {
        advance();
        if (c <= '3' && current() >= '0' && current() <= '7') {
          advance();
        }
      }
      return;
    }
    advance();
  }

  /**
   * A character escape or class escape; returns the character's code point, or -1 for a class
   * escape such as {@code \d} (which cannot bound a range).
   */
  private int characterEscape(boolean inClass) {
    int c = current();
    switch (c) {
      case 'd', 'D', 's', 'S', 'w', 'W' -> {
        advance();
        return -1;
      }
      case 'p', 'P' -> {
        if (!unicode) {
          advance();
          return c;
        }
        advance();
        if (!eat('{')) {
          throw fail("Invalid property name");
        }
        int start = pos;
        while (current() >= 0 && current() != '}') {
          advance();
        }
        String body = pattern.substring(start, pos);
        if (!eat('}') || !UnicodeProperties.isValid(body, unicodeSets, c == 'P')) {
          throw fail("Invalid property name");
        }
        return -1;
      }
      case 'f' -> {
        advance();
        return '\f';
      }
      case 'n' -> {
        advance();
        return '\n';
      }
      case 'r' -> {
        advance();
        return '\r';
      }
      case 't' -> {
        advance();
        return '\t';
      }
      case 'v' -> {
        advance();
        return 0x0b;
      }
      case 'c' -> {
        int next = lookahead();
        if ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z')) {
          pos += 2;
          return next % 32;
        }
        if (!unicode && inClass && ((next >= '0' && next <= '9') || next == '_')) {
          pos += 2;
          return next % 32;
        }
        if (unicode) {
          throw fail("Invalid unicode escape");
        }
        return '\\';
      }
      case '0' -> {
        advance();
        if (current() >= '0' && current() <= '9') {
          if (unicode) {
            throw fail("Invalid decimal escape");
          }
          pos--;
          legacyOctalOrIdentity();
        }
        return 0;
      }
      case 'x' -> {
        advance();
        int value = fixedHex(2);
        if (value < 0) {
          if (unicode) {
            throw fail("Invalid escape");
          }
          return 'x';
        }
        return value;
      }
      case 'u' -> {
        advance();
        if (unicode) {
          return unicodeEscapeInName();
        }
        int value = fixedHex(4);
        return value < 0 ? 'u' : value;
      }
      default -> {
        if (unicode) {
          if (c == '-' && inClass) {
            advance();
            return '-';
          }
          if ("^$\\.*+?()[]{}|/".indexOf(c) < 0 || c < 0) {
            throw fail("Invalid escape");
          }
          advance();
          return c;
        }
        if (c >= '1' && c <= '9' && inClass) {
          legacyOctalOrIdentity();
          return c;
        }
        if (c == 'k' && hasNamedGroups) {
          throw fail("Invalid escape");
        }
        advance();
        return c;
      }
    }
  }

  private void characterClass() {
    if (unicodeSets) {
      classSetContents();
      return;
    }
    eat('^');
    while (current() >= 0 && current() != ']') {
      int from = classAtom();
      if (current() == '-' && lookahead() != ']' && lookahead() >= 0) {
        advance();
        int to = classAtom();
        if ((from == -1 || to == -1)) {
          if (unicode) {
            throw fail("Invalid character class");
          }
        } else if (from > to) {
          throw fail("Range out of order in character class");
        }
      }
    }
    if (!eat(']')) {
      throw fail("Unterminated character class");
    }
  }

  private int classAtom() {
    int c = current();
    if (c == '\\') {
      advance();
      if (current() < 0) {
        throw fail("\\ at end of pattern");
      }
      if (current() == 'b') {
        advance();
        return '\b';
      }
      return characterEscape(true);
    }
    advance();
    return c;
  }

  /** Unicode-sets mode classes: nesting, operators and strings are only balanced, not typed. */
  private void classSetContents() {
    int nesting = 1;
    while (nesting > 0) {
      int c = current();
      if (c < 0) {
        throw fail("Unterminated character class");
      }
      if (c == '\\') {
        advance();
        if (current() < 0) {
          throw fail("\\ at end of pattern");
        }
        if (current() == 'q') {
          advance();
          if (!eat('{')) {
            throw fail("Invalid escape");
          }
          while (current() >= 0 && current() != '}') {
            advance();
          }
          if (!eat('}')) {
            throw fail("Invalid escape");
          }
        } else if (current() == 'b') {
          advance();
        } else {
          characterEscape(true);
        }
        continue;
      }
      if (c == '[') {
        nesting++;
      } else if (c == ']') {
        nesting--;
      } else if ("()[{}/|".indexOf(c) >= 0 && c != '[') {
        throw fail("Invalid set operation in character class");
      }
      advance();
    }
  }
}
