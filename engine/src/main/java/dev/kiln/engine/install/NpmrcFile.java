package dev.kiln.engine.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an {@code .npmrc} (ini) file the way npm does: {@code key = value} lines, {@code #} and
 * {@code ;} comments, optional double quotes around a value, and {@code ${VAR}} expanded from the
 * environment in keys and values. Sections and array keys ({@code key[]}) are ignored: npm's
 * registry settings never use them.
 */
final class NpmrcFile {
  private static final Pattern ENV_REFERENCE = Pattern.compile("(\\\\*)\\$\\{([^${}?]+)(\\?)?}");

  private NpmrcFile() {}

  static Map<String, String> read(Path file, Map<String, String> env) {
    if (file == null || !Files.isRegularFile(file)) {
      return Map.of();
    }
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), env);
    } catch (IOException unreadable) {
      return Map.of(); // npm also ignores a config file it cannot read
    }
  }

  static Map<String, String> parse(String text, Map<String, String> env) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String raw : text.split("\\r?\\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || line.startsWith("[")) {
        continue;
      }
      int eq = line.indexOf('=');
      String key = (eq < 0 ? line : line.substring(0, eq)).strip();
      String value = eq < 0 ? "true" : line.substring(eq + 1).strip();
      if (key.isEmpty() || key.endsWith("[]")) {
        continue;
      }
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      out.put(expand(key, env), expand(value, env));
    }
    return out;
  }

  /**
   * npm's {@code ${VAR}} substitution: an unset variable stays as written, {@code ${VAR?}} becomes
   * empty, {@code \${VAR}} stays literal (escaping backslashes halved).
   */
  private static String expand(String s, Map<String, String> env) {
    Matcher m = ENV_REFERENCE.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String slashes = m.group(1);
      String replacement;
      if (slashes.length() % 2 == 1) {
        replacement = m.group().substring((slashes.length() + 1) / 2);
      } else {
        String value = env.get(m.group(2));
        String fallback = m.group(3) != null ? "" : "${" + m.group(2) + "}";
        replacement = slashes.substring(slashes.length() / 2) + (value == null ? fallback : value);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
