package dev.kiln.compiler.parse;

import dev.kiln.compiler.ast.Comment;
import dev.kiln.compiler.ast.PureLiteral;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The large-literal fast path. An object or array literal made only of literals (strings,
 * numbers, negative numbers, booleans, null, nested pure objects/arrays; keys that are
 * identifier names, strings or numbers) is validated by a flat loop with an explicit stack and
 * becomes a single {@link PureLiteral} that keeps only its span. Anything else (or anything
 * whose validity depends on context, such as legacy octal, numeric separators or a duplicate
 * {@code __proto__}) makes the scan give up, and the normal parser takes over.
 *
 * <p>When a scan gives up at offset F, every literal still open at F would give up at F as
 * well; their starts are remembered so that the normal parser does not rescan them, which
 * keeps the work linear in the source size.
 */
final class PureLiteralScanner {
  private final ExpressionParser parser;
  private final String input;
  private final List<Comment> pendingComments = new ArrayList<>();
  /** Starts of the literals that were open when the last scan gave up, ascending. */
  private int[] knownImpure = new int[0];

  // The explicit stack of open literals.
  private int[] openStarts = new int[64];
  private boolean[] openIsObject = new boolean[64];
  private boolean[] openSawProto = new boolean[64];
  private int depth;

  PureLiteralScanner(ExpressionParser parser) {
    this.parser = parser;
    this.input = parser.input;
  }

  private boolean disabled;

  /** Turns the fast path off (for re-parsing a pure literal as ordinary nodes). */
  void disable() {
    disabled = true;
  }

  /** At a {@code [} or {@code {} token at {@code start}: the literal as a PureLiteral, or null. */
  PureLiteral tryScan(int start, PureLiteral.Kind kind) {
    if (disabled || Arrays.binarySearch(knownImpure, start) >= 0) {
      return null;
    }
    pendingComments.clear();
    int end = scan(start);
    if (end < 0) {
      return null;
    }
    parser.comments.addAll(pendingComments);
    parser.skipPastPureLiteral(end);
    return new PureLiteral(start, end, kind);
  }

  private static final int FAIL = -1;

  private int fail() {
    knownImpure = Arrays.copyOf(openStarts, depth);
    return FAIL;
  }

  /** Returns the end offset of the pure literal starting at {@code start}, or FAIL. */
  private int scan(int start) {
    depth = 0;
    push(start);
    int p = skip(start + 1);
    if (p < 0 || charAt(p) == (openIsObject[0] ? '}' : ']')) {
      return FAIL; // empty: cheaper as ordinary nodes, and a valid destructuring target
    }
    while (true) {
      // At an element: a close is allowed right after an open or a comma (trailing comma).
      char c = charAt(p);
      if (c == (openIsObject[depth - 1] ? '}' : ']')) {
        depth--;
        if (depth == 0) {
          return p + 1;
        }
        p++;
      } else {
        if (openIsObject[depth - 1]) {
          p = scanKey(p);
          p = p < 0 ? FAIL : skip(p);
          if (p < 0 || charAt(p) != ':') {
            return fail();
          }
          p = skip(p + 1);
          if (p < 0) {
            return fail();
          }
          c = charAt(p);
        }
        if (c == '{' || c == '[') {
          push(p);
          p = skip(p + 1);
          if (p < 0) {
            return fail();
          }
          continue;
        }
        p = scanScalar(p);
        if (p < 0) {
          return fail();
        }
      }
      // After a value: commas and closes.
      while (true) {
        p = skip(p);
        if (p < 0) {
          return fail();
        }
        c = charAt(p);
        if (c == ',') {
          p = skip(p + 1);
          if (p < 0 || charAt(p) == ',') {
            return fail(); // an array hole
          }
          break;
        }
        if (c != (openIsObject[depth - 1] ? '}' : ']')) {
          return fail();
        }
        depth--;
        if (depth == 0) {
          return p + 1;
        }
        p++;
      }
    }
  }

  private void push(int start) {
    if (depth == openStarts.length) {
      openStarts = Arrays.copyOf(openStarts, depth * 2);
      openIsObject = Arrays.copyOf(openIsObject, depth * 2);
      openSawProto = Arrays.copyOf(openSawProto, depth * 2);
    }
    openStarts[depth] = start;
    openIsObject[depth] = input.charAt(start) == '{';
    openSawProto[depth] = false;
    depth++;
  }

  private char charAt(int p) {
    return p < input.length() ? input.charAt(p) : '\0';
  }

  /** Skips white space and comments; FAIL on an unterminated comment. */
  private int skip(int from) {
    int p = from;
    int length = input.length();
    while (p < length) {
      char c = input.charAt(p);
      if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
        p++;
      } else if (c == '/' && charAt(p + 1) == '*') {
        int close = input.indexOf("*/", p + 2);
        if (close < 0) {
          return FAIL;
        }
        pendingComments.add(new Comment(p, close + 2, true));
        p = close + 2;
      } else if (c == '/' && charAt(p + 1) == '/') {
        int commentStart = p;
        while (p < length && !CharClass.isNewLine(input.charAt(p))) {
          p++;
        }
        pendingComments.add(new Comment(commentStart, p, false));
      } else if (c > 127 && (CharClass.isWhiteSpace(c) || CharClass.isNewLine(c))) {
        p++;
      } else if (c == 0x0b || c == 0x0c) {
        p++;
      } else {
        return p;
      }
    }
    return p;
  }

  private int scanKey(int p) {
    char c = charAt(p);
    if (c == '"' || c == '\'') {
      int end = scanString(p);
      if (end < 0) {
        return FAIL;
      }
      if (end - p == 11 && input.startsWith("__proto__", p + 1) && !noteProto()) {
        return FAIL;
      }
      return end;
    }
    if ((c >= '0' && c <= '9') || c == '.') {
      return scanNumber(p);
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$') {
      int end = p + 1;
      while (end < input.length() && isAsciiNameChar(input.charAt(end))) {
        end++;
      }
      char after = charAt(end);
      if (after > 127 || after == '\\') {
        return FAIL;
      }
      if (end - p == 9 && input.startsWith("__proto__", p) && !noteProto()) {
        return FAIL;
      }
      return end;
    }
    return FAIL;
  }

  /** Records a {@code __proto__} key in the innermost object; false if it is the second. */
  private boolean noteProto() {
    if (openSawProto[depth - 1]) {
      return false;
    }
    openSawProto[depth - 1] = true;
    return true;
  }

  private static boolean isAsciiNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
  }

  /** A string, number, negative number, true, false or null. */
  private int scanScalar(int p) {
    char c = charAt(p);
    switch (c) {
      case '"', '\'' -> {
        return scanString(p);
      }
      case '-' -> {
        int q = skip(p + 1);
        return q < 0 ? FAIL : scanNumber(q);
      }
      case 't' -> {
        return word(p, "true");
      }
      case 'f' -> {
        return word(p, "false");
      }
      case 'n' -> {
        return word(p, "null");
      }
      default -> {
        return (c >= '0' && c <= '9') || c == '.' ? scanNumber(p) : FAIL;
      }
    }
  }

  private int word(int p, String word) {
    if (!input.startsWith(word, p)) {
      return FAIL;
    }
    int end = p + word.length();
    return endsCleanly(end) ? end : FAIL;
  }

  private boolean endsCleanly(int end) {
    char after = charAt(end);
    return !(isAsciiNameChar(after) || after == '\\' || after > 127);
  }

  /** Decimal numbers only; legacy octal, separators, BigInt and radix prefixes go the slow way. */
  private int scanNumber(int p) {
    int q = p;
    int intDigits = 0;
    while (q < input.length() && input.charAt(q) >= '0' && input.charAt(q) <= '9') {
      q++;
      intDigits++;
    }
    if (intDigits > 1 && input.charAt(p) == '0') {
      return FAIL;
    }
    int fractionDigits = 0;
    if (charAt(q) == '.') {
      q++;
      while (q < input.length() && input.charAt(q) >= '0' && input.charAt(q) <= '9') {
        q++;
        fractionDigits++;
      }
    }
    if (intDigits == 0 && fractionDigits == 0) {
      return FAIL;
    }
    char e = charAt(q);
    if (e == 'e' || e == 'E') {
      q++;
      if (charAt(q) == '+' || charAt(q) == '-') {
        q++;
      }
      int expDigits = 0;
      while (q < input.length() && input.charAt(q) >= '0' && input.charAt(q) <= '9') {
        q++;
        expDigits++;
      }
      if (expDigits == 0) {
        return FAIL;
      }
    }
    return endsCleanly(q) ? q : FAIL;
  }

  /** A string whose escapes are valid in sloppy and strict code alike. */
  private int scanString(int p) {
    char quote = input.charAt(p);
    int q = p + 1;
    int length = input.length();
    while (q < length) {
      char c = input.charAt(q);
      if (c == quote) {
        return q + 1;
      }
      if (c == '\n' || c == '\r') {
        return FAIL;
      }
      if (c == '\\') {
        q = scanEscape(q + 1);
        if (q < 0) {
          return FAIL;
        }
      } else {
        q++;
      }
    }
    return FAIL;
  }

  private int scanEscape(int q) {
    char c = charAt(q);
    if (c == 'x') {
      return isHex(q + 1) && isHex(q + 2) ? q + 3 : FAIL;
    }
    if (c == 'u') {
      if (charAt(q + 1) == '{') {
        int r = q + 2;
        long code = 0;
        while (isHex(r)) {
          code = code * 16 + Character.digit(input.charAt(r), 16);
          if (code > 0x10FFFF) {
            return FAIL;
          }
          r++;
        }
        return r > q + 2 && charAt(r) == '}' ? r + 1 : FAIL;
      }
      return isHex(q + 1) && isHex(q + 2) && isHex(q + 3) && isHex(q + 4) ? q + 5 : FAIL;
    }
    if (c == '0') {
      char next = charAt(q + 1);
      return next >= '0' && next <= '9' ? FAIL : q + 1;
    }
    if ((c >= '1' && c <= '9') || q >= input.length()) {
      return FAIL;
    }
    if (c == '\r' && charAt(q + 1) == '\n') {
      return q + 2;
    }
    return q + 1;
  }

  private boolean isHex(int at) {
    char c = charAt(at);
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
