package dev.kiln.compiler;

import java.util.ArrayList;
import java.util.List;

/**
 * The exported names of one TypeScript declaration file, found by a small token scan: top-level
 * {@code export [declare] function|const|let|var|class|enum|namespace NAME}, {@code export * as
 * NAME}, {@code export { a, b as c }}; and the modules of {@code export * from "m"}.
 */
record DeclarationExports(List<String> names, List<String> reExportedModules) {

  static DeclarationExports scan(String text) {
    List<String> tokens = tokenize(text);
    List<String> names = new ArrayList<>();
    List<String> modules = new ArrayList<>();
    int depth = 0;
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      if (t.equals("{")) {
        depth++;
      } else if (t.equals("}")) {
        depth = Math.max(0, depth - 1);
      } else if (depth == 0 && t.equals("export")) {
        i = readExport(tokens, i + 1, names, modules) - 1;
      }
    }
    return new DeclarationExports(names, modules);
  }

  /** Reads the export starting at {@code i}; returns the index after what it consumed. */
  private static int readExport(List<String> tokens, int i, List<String> names, List<String> modules) {
    String t = at(tokens, i);
    if (t.equals("declare")) {
      t = at(tokens, ++i);
    }
    if (t.equals("abstract")) {
      t = at(tokens, ++i);
    }
    if (t.equals("async")) {
      t = at(tokens, ++i);
    }
    switch (t) {
      case "function", "class", "enum", "namespace", "module" -> {
        String name = at(tokens, i + 1);
        if (name.equals("*")) {
          name = at(tokens, i + 2);
        }
        if (isIdentifier(name)) {
          names.add(name);
        }
        return i + 1;
      }
      case "const", "let", "var" -> {
        // export declare const a: T, b: U;  (only simple names)
        int j = i + 1;
        int nesting = 0;
        boolean expectName = true;
        for (; j < tokens.size(); j++) {
          String u = tokens.get(j);
          if (nesting == 0 && (u.equals(";") || u.equals("export"))) {
            break;
          }
          if (u.equals("{") || u.equals("(") || u.equals("[") || u.equals("<")) {
            nesting++;
          } else if (u.equals("}") || u.equals(")") || u.equals("]") || u.equals(">")) {
            nesting--;
          } else if (nesting == 0 && u.equals(",")) {
            expectName = true;
          } else if (expectName && nesting == 0 && isIdentifier(u)) {
            names.add(u);
            expectName = false;
          }
        }
        return j;
      }
      case "*" -> {
        if (at(tokens, i + 1).equals("as")) {
          names.add(at(tokens, i + 2));
          return i + 3;
        }
        if (at(tokens, i + 1).equals("from")) {
          modules.add(unquote(at(tokens, i + 2)));
          return i + 3;
        }
        return i + 1;
      }
      case "{" -> {
        int j = i + 1;
        String last = null;
        for (; j < tokens.size() && !tokens.get(j).equals("}"); j++) {
          String u = tokens.get(j);
          if (u.equals(",")) {
            addName(names, last);
            last = null;
          } else if (!u.equals("as") && !u.equals("type")) {
            last = u;
          }
        }
        addName(names, last);
        return j + 1;
      }
      default -> {
        return i; // default, interface, type, import x = ...: not exported values we import
      }
    }
  }

  private static void addName(List<String> names, String name) {
    if (name != null && isIdentifier(name)) {
      names.add(name);
    }
  }

  private static String at(List<String> tokens, int i) {
    return i < tokens.size() ? tokens.get(i) : "";
  }

  private static boolean isIdentifier(String s) {
    if (s.isEmpty() || !(Character.isJavaIdentifierStart(s.charAt(0)))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      if (!Character.isJavaIdentifierPart(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static String unquote(String s) {
    return s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'') ? s.substring(1, s.length() - 1) : s;
  }

  /** Identifiers, string literals (with quotes) and single punctuation characters; comments dropped. */
  private static List<String> tokenize(String text) {
    List<String> tokens = new ArrayList<>();
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
        while (i < n && text.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int close = text.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
      } else if (c == '"' || c == '\'' || c == '`') {
        int j = i + 1;
        while (j < n && text.charAt(j) != c) {
          j += text.charAt(j) == '\\' ? 2 : 1;
        }
        tokens.add(text.substring(i, Math.min(n, j + 1)));
        i = j + 1;
      } else if (Character.isJavaIdentifierStart(c)) {
        int j = i + 1;
        while (j < n && Character.isJavaIdentifierPart(text.charAt(j))) {
          j++;
        }
        tokens.add(text.substring(i, j));
        i = j;
      } else {
        tokens.add(String.valueOf(c));
        i++;
      }
    }
    return tokens;
  }
}
