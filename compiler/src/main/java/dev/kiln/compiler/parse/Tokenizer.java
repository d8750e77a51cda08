package dev.kiln.compiler.parse;

import dev.kiln.compiler.ast.Comment;
import dev.kiln.compiler.ast.LineTable;
import dev.kiln.compiler.ast.Literal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams tokens out of the source, one at a time (no token list is kept). Regular
 * expressions and template continuations are read on demand by the parser ({@link
 * #readRegexp()}, {@link #readTemplateContinuation()}), since only the grammar knows whether
 * a {@code /} starts a regex or a {@code }} resumes a template.
 */
abstract class Tokenizer {
  final String input;
  final boolean module;
  final List<Comment> comments = new ArrayList<>();
  private LineTable lineTable;

  /** Scan position. */
  int pos;

  // The current token.
  TokenType type;
  /** Name, string value, Double/BigInteger number, operator text, template cooked text, regex. */
  Object value;
  int start;
  int end;
  boolean containsEsc;
  /** A line terminator lies between the previous token and this one. */
  boolean newlineBefore;
  // For a TEMPLATE token: the chunk's span, whether it ends the template, an invalid escape.
  int templateChunkStart;
  int templateChunkEnd;
  boolean templateTail;
  int templateInvalidEscape = -1;

  // The previous token.
  int lastTokStart;
  int lastTokEnd;

  boolean strict;

  Tokenizer(String input, boolean module) {
    this.input = input;
    this.module = module;
    this.strict = module;
    if (input.startsWith("#!")) {
      pos = 2;
      while (pos < input.length() && !CharClass.isNewLine(input.charAt(pos))) {
        pos++;
      }
    }
  }

  // ---- errors

  final JsSyntaxError error(int at, String description) {
    if (lineTable == null) {
      lineTable = LineTable.of(input);
    }
    return new JsSyntaxError(description, at, lineTable.line(at), lineTable.column(at));
  }

  final LineTable lineTable() {
    if (lineTable == null) {
      lineTable = LineTable.of(input);
    }
    return lineTable;
  }

  final JsSyntaxError unexpected() {
    return unexpected(start);
  }

  final JsSyntaxError unexpected(int at) {
    return error(at, "Unexpected token");
  }

  // ---- the token stream

  /** Moves to the next token. */
  void nextToken() {
    lastTokEnd = end;
    lastTokStart = start;
    readNextToken();
  }

  final void readNextToken() {
    newlineBefore = false;
    containsEsc = false;
    skipSpace();
    start = pos;
    if (pos >= input.length()) {
      finish(TokenType.EOF, null);
      return;
    }
    int c = input.codePointAt(pos);
    if (CharClass.isIdentifierStart(c) || c == '\\') {
      readWord();
    } else {
      readPunctuationOrLiteral(c);
    }
  }

  private void finish(TokenType tokenType, Object tokenValue) {
    end = pos;
    type = tokenType;
    value = tokenValue;
  }

  final char charAt(int at) {
    return at < input.length() ? input.charAt(at) : '\0';
  }

  // ---- white space and comments

  private void skipSpace() {
    int length = input.length();
    while (pos < length) {
      char c = input.charAt(pos);
      if (c == ' ' || c == '\t') {
        pos++;
      } else if (c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029') {
        newlineBefore = true;
        pos++;
      } else if (c == '/') {
        char next = charAt(pos + 1);
        if (next == '*') {
          skipBlockComment();
        } else if (next == '/') {
          skipLineComment(2);
        } else {
          return;
        }
      } else if (c == '<' && !module && input.startsWith("!--", pos + 1)) {
        skipLineComment(4);
      } else if (c == '-'
          && !module
          && (newlineBefore || lastTokEnd == 0)
          && input.startsWith("->", pos + 1)) {
        skipLineComment(3);
      } else if (c > 127 && CharClass.isWhiteSpace(c) || c == 0x0b || c == 0x0c) {
        pos++;
      } else {
        return;
      }
    }
  }

  final void skipBlockComment() {
    int commentStart = pos;
    int close = input.indexOf("*/", pos + 2);
    if (close < 0) {
      throw error(pos, "Unterminated comment");
    }
    for (int i = pos + 2; i < close; i++) {
      if (CharClass.isNewLine(input.charAt(i))) {
        newlineBefore = true;
        break;
      }
    }
    pos = close + 2;
    comments.add(new Comment(commentStart, pos, true));
  }

  final void skipLineComment(int prefixLength) {
    int commentStart = pos;
    pos += prefixLength;
    while (pos < input.length() && !CharClass.isNewLine(input.charAt(pos))) {
      pos++;
    }
    comments.add(new Comment(commentStart, pos, false));
  }

  /** Offset of the next non-space, non-comment character at or after {@code from}. */
  final int skipWhiteSpaceFrom(int from) {
    int at = from;
    while (at < input.length()) {
      char c = input.charAt(at);
      if (CharClass.isWhiteSpace(c) || CharClass.isNewLine(c)) {
        at++;
      } else if (c == '/' && charAt(at + 1) == '*') {
        int close = input.indexOf("*/", at + 2);
        if (close < 0) {
          return input.length();
        }
        at = close + 2;
      } else if (c == '/' && charAt(at + 1) == '/') {
        while (at < input.length() && !CharClass.isNewLine(input.charAt(at))) {
          at++;
        }
      } else {
        return at;
      }
    }
    return at;
  }

  /** Whether a line terminator lies in {@code [from, to)}. */
  final boolean hasLineBreak(int from, int to) {
    for (int i = from; i < to; i++) {
      if (CharClass.isNewLine(input.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  // ---- punctuation

  private void readPunctuationOrLiteral(int c) {
    switch (c) {
      case '.' -> {
        char next = charAt(pos + 1);
        if (next >= '0' && next <= '9') {
          readNumber(true);
        } else if (next == '.' && charAt(pos + 2) == '.') {
          pos += 3;
          finish(TokenType.ELLIPSIS, "...");
        } else {
          pos++;
          finish(TokenType.DOT, ".");
        }
      }
      case '(' -> single(TokenType.PAREN_L, "(");
      case ')' -> single(TokenType.PAREN_R, ")");
      case ';' -> single(TokenType.SEMI, ";");
      case ',' -> single(TokenType.COMMA, ",");
      case '[' -> single(TokenType.BRACKET_L, "[");
      case ']' -> single(TokenType.BRACKET_R, "]");
      case '{' -> single(TokenType.BRACE_L, "{");
      case '}' -> single(TokenType.BRACE_R, "}");
      case ':' -> single(TokenType.COLON, ":");
      case '`' -> single(TokenType.BACK_QUOTE, "`");
      case '?' -> {
        char next = charAt(pos + 1);
        char after = charAt(pos + 2);
        if (next == '.' && !(after >= '0' && after <= '9')) {
          pos += 2;
          finish(TokenType.QUESTION_DOT, "?.");
        } else if (next == '?') {
          if (after == '=') {
            pos += 3;
            finish(TokenType.ASSIGN, "??=");
          } else {
            pos += 2;
            finish(TokenType.COALESCE, "??");
          }
        } else {
          single(TokenType.QUESTION, "?");
        }
      }
      case '0' -> {
        char next = charAt(pos + 1);
        if (next == 'x' || next == 'X') {
          readRadixNumber(16);
        } else if (next == 'o' || next == 'O') {
          readRadixNumber(8);
        } else if (next == 'b' || next == 'B') {
          readRadixNumber(2);
        } else {
          readNumber(false);
        }
      }
      case '1', '2', '3', '4', '5', '6', '7', '8', '9' -> readNumber(false);
      case '"', '\'' -> readString((char) c);
      case '/' -> operator(charAt(pos + 1) == '=' ? 2 : 1, TokenType.SLASH);
      case '%' -> operator(charAt(pos + 1) == '=' ? 2 : 1, TokenType.MODULO);
      case '*' -> {
        if (charAt(pos + 1) == '*') {
          operator(charAt(pos + 2) == '=' ? 3 : 2, TokenType.STARSTAR);
        } else {
          operator(charAt(pos + 1) == '=' ? 2 : 1, TokenType.STAR);
        }
      }
      case '|', '&' -> {
        char next = charAt(pos + 1);
        TokenType logical = c == '|' ? TokenType.LOGICAL_OR : TokenType.LOGICAL_AND;
        TokenType bitwise = c == '|' ? TokenType.BITWISE_OR : TokenType.BITWISE_AND;
        if (next == c) {
          operator(charAt(pos + 2) == '=' ? 3 : 2, logical);
        } else {
          operator(next == '=' ? 2 : 1, bitwise);
        }
      }
      case '^' -> operator(charAt(pos + 1) == '=' ? 2 : 1, TokenType.BITWISE_XOR);
      case '+', '-' -> {
        char next = charAt(pos + 1);
        if (next == c) {
          pos += 2;
          finish(TokenType.INC_DEC, c == '+' ? "++" : "--");
        } else {
          operator(next == '=' ? 2 : 1, TokenType.PLUS_MIN);
        }
      }
      case '<', '>' -> {
        char next = charAt(pos + 1);
        if (next == c) {
          int size = c == '>' && charAt(pos + 2) == '>' ? 3 : 2;
          operator(charAt(pos + size) == '=' ? size + 1 : size, TokenType.BIT_SHIFT);
        } else {
          operator(next == '=' ? 2 : 1, TokenType.RELATIONAL);
        }
      }
      case '=', '!' -> {
        char next = charAt(pos + 1);
        if (next == '=') {
          pos += charAt(pos + 2) == '=' ? 3 : 2;
          finish(TokenType.EQUALITY, input.substring(start, pos));
        } else if (c == '=' && next == '>') {
          pos += 2;
          finish(TokenType.ARROW, "=>");
        } else if (c == '=') {
          single(TokenType.EQ, "=");
        } else {
          single(TokenType.PREFIX, "!");
        }
      }
      case '~' -> single(TokenType.PREFIX, "~");
      case '#' -> {
        pos++;
        if (pos < input.length()
            && (CharClass.isIdentifierStart(input.codePointAt(pos)) || input.charAt(pos) == '\\')) {
          String name = readWord1();
          finish(TokenType.PRIVATE_ID, name);
        } else {
          throw error(pos, pos < input.length()
              ? "Unexpected character '" + new String(Character.toChars(input.codePointAt(pos))) + "'"
              : "Unexpected token");
        }
      }
      default ->
          throw error(pos, "Unexpected character '" + new String(Character.toChars(c)) + "'");
    }
  }

  private void single(TokenType tokenType, String text) {
    pos++;
    finish(tokenType, text);
  }

  /** An operator of {@code size} chars; a trailing {@code =} makes it an assignment. */
  private void operator(int size, TokenType plain) {
    String text = input.substring(pos, pos + size);
    pos += size;
    boolean assign = text.length() > 1 && text.endsWith("=") && plain != TokenType.RELATIONAL;
    finish(assign ? TokenType.ASSIGN : plain, text.intern());
  }

  // ---- identifiers

  private void readWord() {
    String word = readWord1();
    TokenType keyword = TokenType.keyword(word);
    finish(keyword != null ? keyword : TokenType.NAME, word);
  }

  /** Reads an identifier name at {@code pos}, resolving unicode escapes. */
  final String readWord1() {
    StringBuilder word = null;
    boolean first = true;
    int chunkStart = pos;
    while (pos < input.length()) {
      int c = input.codePointAt(pos);
      if (CharClass.isIdentifierChar(c)) {
        pos += Character.charCount(c);
      } else if (c == '\\') {
        containsEsc = true;
        if (word == null) {
          word = new StringBuilder();
        }
        word.append(input, chunkStart, pos);
        int escStart = pos;
        if (charAt(++pos) != 'u') {
          throw error(pos, "Expecting Unicode escape sequence \\uXXXX");
        }
        pos++;
        int escaped = readCodePoint();
        if (!(first ? CharClass.isIdentifierStart(escaped) : CharClass.isIdentifierChar(escaped))) {
          throw error(escStart, "Invalid Unicode escape");
        }
        word.appendCodePoint(escaped);
        chunkStart = pos;
      } else {
        break;
      }
      first = false;
    }
    if (word == null) {
      return input.substring(chunkStart, pos);
    }
    return word.append(input, chunkStart, pos).toString();
  }

  // ---- numbers

  private static final int NO_DIGITS = -1;

  /** Reads digits of {@code radix} (with numeric separators); returns the count or NO_DIGITS. */
  private int readDigits(int radix, boolean legacyOctalCandidate) {
    boolean legacyOctal = legacyOctalCandidate && charAt(pos) == '0';
    int digitsStart = pos;
    char last = 0;
    int count = 0;
    for (; pos < input.length(); pos++) {
      char c = input.charAt(pos);
      if (c == '_') {
        if (legacyOctal) {
          throw error(pos, "Numeric separator is not allowed in legacy octal numeric literals");
        }
        if (last == '_') {
          throw error(pos, "Numeric separator must be exactly one underscore");
        }
        if (pos == digitsStart) {
          throw error(pos, "Numeric separator is not allowed at the first of digits");
        }
        last = c;
        continue;
      }
      if (Character.digit(c, radix) < 0 || c > 'z') {
        break;
      }
      last = c;
      count++;
    }
    if (last == '_') {
      throw error(pos - 1, "Numeric separator is not allowed at the last of digits");
    }
    return count == 0 ? NO_DIGITS : count;
  }

  private void readRadixNumber(int radix) {
    pos += 2;
    if (readDigits(radix, false) == NO_DIGITS) {
      throw error(start + 2, "Expected number in radix " + radix);
    }
    String digits = input.substring(start + 2, pos).replace("_", "");
    BigInteger number = new BigInteger(digits, radix);
    if (charAt(pos) == 'n') {
      pos++;
      checkNoIdentifierAfterNumber();
      finish(TokenType.NUM, number);
      return;
    }
    checkNoIdentifierAfterNumber();
    finish(TokenType.NUM, number.doubleValue());
  }

  private void readNumber(boolean startsWithDot) {
    if (!startsWithDot && readDigits(10, true) == NO_DIGITS) {
      throw error(start, "Invalid number");
    }
    boolean octal = pos - start >= 2 && input.charAt(start) == '0';
    if (octal && strict) {
      throw error(start, "Invalid number");
    }
    char next = charAt(pos);
    if (!octal && !startsWithDot && next == 'n') {
      BigInteger number = new BigInteger(input.substring(start, pos).replace("_", ""));
      pos++;
      checkNoIdentifierAfterNumber();
      finish(TokenType.NUM, number);
      return;
    }
    if (octal) {
      for (int i = start; i < pos; i++) {
        if (input.charAt(i) == '8' || input.charAt(i) == '9') {
          octal = false;
          break;
        }
      }
    }
    if (next == '.' && !octal) {
      pos++;
      readDigits(10, false);
      next = charAt(pos);
    }
    if ((next == 'e' || next == 'E') && !octal) {
      next = charAt(++pos);
      if (next == '+' || next == '-') {
        pos++;
      }
      if (readDigits(10, false) == NO_DIGITS) {
        throw error(start, "Invalid number");
      }
    }
    checkNoIdentifierAfterNumber();
    String text = input.substring(start, pos);
    double number;
    if (octal) {
      number = new BigInteger(text, 8).doubleValue();
    } else {
      number = Double.parseDouble(text.indexOf('_') >= 0 ? text.replace("_", "") : text);
    }
    finish(TokenType.NUM, number);
  }

  private void checkNoIdentifierAfterNumber() {
    if (pos < input.length() && CharClass.isIdentifierStart(input.codePointAt(pos))) {
      throw error(pos, "Identifier directly after number");
    }
  }

  // ---- strings and escapes

  private void readString(char quote) {
    pos++;
    int chunkStart = pos;
    StringBuilder out = null;
    while (true) {
      if (pos >= input.length()) {
        throw error(start, "Unterminated string constant");
      }
      char c = input.charAt(pos);
      if (c == quote) {
        break;
      }
      if (c == '\\') {
        if (out == null) {
          out = new StringBuilder();
        }
        out.append(input, chunkStart, pos);
        readEscapedChar(out, false);
        chunkStart = pos;
      } else if (c == '\n' || c == '\r') {
        throw error(start, "Unterminated string constant");
      } else {
        pos++;
      }
    }
    String text = out == null ? input.substring(chunkStart, pos) : out.append(input, chunkStart, pos).toString();
    pos++;
    finish(TokenType.STRING, text);
  }

  /** Raised inside a template chunk for an escape a tagged template tolerates. */
  private static final class InvalidTemplateEscape extends RuntimeException {
    final int at;
    final String description;

    InvalidTemplateEscape(int at, String description) {
      super(description, null, false, false);
      this.at = at;
      this.description = description;
    }
  }

  private RuntimeException invalidEscape(int at, String description, boolean inTemplate) {
    return inTemplate ? new InvalidTemplateEscape(at, description) : error(at, description);
  }

  /** At a backslash: appends the escaped value to {@code out} and moves past the escape. */
  final void readEscapedChar(StringBuilder out, boolean inTemplate) {
    pos++;
    char c = charAt(pos);
    pos++;
    switch (c) {
      case 'n' -> out.append('\n');
      case 'r' -> out.append('\r');
      case 't' -> out.append('\t');
      case 'b' -> out.append('\b');
      case 'v' -> out.append('\u000b');
      case 'f' -> out.append('\f');
      case 'x' -> out.append((char) readHexChar(2, inTemplate));
      case 'u' -> out.appendCodePoint(readCodePoint(inTemplate));
      case '\r' -> {
        if (charAt(pos) == '\n') {
          pos++;
        }
      }
      case '\n', '\u2028', '\u2029' -> {}
      case '8', '9' -> {
        if (strict || inTemplate) {
          throw invalidEscape(pos - 1, inTemplate ? "Invalid escape sequence in template string" : "Invalid escape sequence", inTemplate);
        }
        out.append(c);
      }
      default -> {
        if (c >= '0' && c <= '7') {
          int octalStart = pos - 1;
          int octalEnd = octalStart + 1;
          while (octalEnd < input.length() && octalEnd - octalStart < 3 && charAt(octalEnd) >= '0' && charAt(octalEnd) <= '7') {
            octalEnd++;
          }
          int octal = Integer.parseInt(input.substring(octalStart, octalEnd), 8);
          if (octal > 255) {
            octalEnd--;
            octal = Integer.parseInt(input.substring(octalStart, octalEnd), 8);
          }
          pos = octalEnd;
          char next = charAt(pos);
          if ((octalEnd - octalStart != 1 || c != '0' || next == '8' || next == '9')
              && (strict || inTemplate)) {
            throw invalidEscape(octalStart - 1,
                inTemplate ? "Octal literal in template string" : "Octal literal in strict mode", inTemplate);
          }
          out.append((char) octal);
        } else if (pos > input.length()) {
          throw error(inTemplate ? templateChunkStart : start, inTemplate ? "Unterminated template" : "Unterminated string constant");
        } else {
          out.append(c);
        }
      }
    }
  }

  private int readHexChar(int length, boolean inTemplate) {
    int codeStart = pos;
    if (pos + length > input.length()) {
      throw invalidEscape(codeStart, "Bad character escape sequence", inTemplate);
    }
    int result = 0;
    for (int i = 0; i < length; i++) {
      int digit = Character.digit(input.charAt(pos + i), 16);
      if (digit < 0 || input.charAt(pos + i) > 'f') {
        throw invalidEscape(codeStart, "Bad character escape sequence", inTemplate);
      }
      result = result * 16 + digit;
    }
    pos += length;
    return result;
  }

  private int readCodePoint() {
    return readCodePoint(false);
  }

  /** After {@code \\u}: {@code XXXX} or {@code {X...}}. */
  final int readCodePoint(boolean inTemplate) {
    if (charAt(pos) == '{') {
      pos++;
      int codeStart = pos;
      int close = input.indexOf('}', pos);
      if (close < 0 || close == pos) {
        throw invalidEscape(codeStart, "Bad character escape sequence", inTemplate);
      }
      long code = 0;
      for (int i = pos; i < close; i++) {
        int digit = Character.digit(input.charAt(i), 16);
        if (digit < 0 || input.charAt(i) > 'f') {
          throw invalidEscape(codeStart, "Bad character escape sequence", inTemplate);
        }
        code = code * 16 + digit;
        if (code > 0x10FFFF) {
          throw invalidEscape(codeStart, "Code point out of bounds", inTemplate);
        }
      }
      pos = close + 1;
      return (int) code;
    }
    return readHexChar(4, inTemplate);
  }

  // ---- templates

  /** Reads a template chunk starting at {@code from} (just after {@code `} or {@code }}). */
  private void readTemplateChunk(int from) {
    if (from >= input.length()) {
      throw error(input.length(), "Unterminated template literal");
    }
    pos = from;
    templateChunkStart = from;
    templateInvalidEscape = -1;
    StringBuilder cooked = new StringBuilder();
    int chunkStart = pos;
    while (true) {
      if (pos >= input.length()) {
        throw error(from, "Unterminated template");
      }
      char c = input.charAt(pos);
      if (c == '`' || (c == '$' && charAt(pos + 1) == '{')) {
        cooked.append(input, chunkStart, pos);
        templateChunkEnd = pos;
        templateTail = c == '`';
        pos += templateTail ? 1 : 2;
        finish(TokenType.TEMPLATE, templateInvalidEscape >= 0 ? null : cooked.toString());
        return;
      }
      if (c == '\\') {
        cooked.append(input, chunkStart, pos);
        int escapeStart = pos;
        try {
          readEscapedChar(cooked, true);
        } catch (InvalidTemplateEscape invalid) {
          if (templateInvalidEscape < 0) {
            templateInvalidEscape = invalid.at;
          }
          pos = escapeStart + 2;
        }
        chunkStart = pos;
      } else if (c == '\r') {
        cooked.append(input, chunkStart, pos).append('\n');
        pos += charAt(pos + 1) == '\n' ? 2 : 1;
        chunkStart = pos;
      } else {
        pos++;
      }
    }
  }

  /** At a {@code `} token: reads the template's first chunk (as acorn, only when the grammar asks). */
  final void readTemplateHead() {
    int quoteAt = start;
    readTemplateChunk(quoteAt + 1);
    start = quoteAt;
  }

  /** At a {@code }} token that closes a template substitution: reads the next chunk. */
  final void readTemplateContinuation() {
    int braceAt = start;
    readTemplateChunk(braceAt + 1);
    start = braceAt;
  }

  // ---- regular expressions

  /** At a {@code /} or {@code /=} token in expression position: re-reads it as a regex. */
  final void readRegexp() {
    pos = start + 1;
    boolean escaped = false;
    boolean inClass = false;
    while (true) {
      if (pos >= input.length() || CharClass.isNewLine(input.charAt(pos))) {
        throw error(start + 1, "Unterminated regular expression");
      }
      char c = input.charAt(pos);
      if (escaped) {
        escaped = false;
      } else if (c == '[') {
        inClass = true;
      } else if (c == ']' && inClass) {
        inClass = false;
      } else if (c == '/' && !inClass) {
        break;
      } else {
        escaped = c == '\\';
      }
      pos++;
    }
    String pattern = input.substring(start + 1, pos);
    pos++;
    int flagsStart = pos;
    String flags = readWord1();
    if (containsEsc) {
      throw unexpected(flagsStart);
    }
    for (int i = 0; i < flags.length(); i++) {
      char flag = flags.charAt(i);
      if ("dgimsuyv".indexOf(flag) < 0) {
        throw error(start + 1, "Invalid regular expression flag");
      }
      if (flags.indexOf(flag, i + 1) >= 0) {
        throw error(start + 1, "Duplicate regular expression flag");
      }
    }
    if (flags.indexOf('u') >= 0 && flags.indexOf('v') >= 0) {
      throw error(start + 1, "Invalid regular expression flag");
    }
    new RegexValidator(this, start + 1, pattern, flags).validate();
    finish(TokenType.REGEXP, new Literal.Regex(pattern, flags));
  }
}
