package dev.kiln.compiler.parse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Conformance with the npm package test262-parser-tests: every {@code pass/} and
 * {@code pass-explicit/} file parses, every {@code fail/} file is rejected, and the share of
 * rejected {@code early/} files (early errors) is reported. {@code *.module.js} files are
 * parsed as modules, the others as scripts.
 */
@Tag("integration")
class Test262ConformanceTest {
  /**
   * {@code fail/} files that a later ECMAScript edition made valid: file name → the edition
   * that allows it.
   */
  private static final Map<String, String> VALID_SINCE = Map.ofEntries(
      // U+2028 / U+2029 inside a string literal: JSON superset
      Map.entry("647e21f8f157c338.js", "ES2019"),
      Map.entry("8af69d8f15295ed2.js", "ES2019"),
      // "\8" and "\9" in sloppy-mode strings: NonOctalDecimalEscapeSequence (annex B)
      Map.entry("0d5e450f1da8a92a.js", "ES2021"),
      Map.entry("748656edbfb2d0bb.js", "ES2021"),
      Map.entry("79f882da06f88c9f.js", "ES2021"),
      Map.entry("92b6af54adef3624.js", "ES2021"),
      // class fields: (class {a}) and (class {a=0})
      Map.entry("98204d734f8c72b3.js", "ES2022"),
      Map.entry("ef81b93cf9bdb4ec.js", "ES2022"),
      // for (var x = 1 in o) in sloppy mode: annex B.3.5 initializers in for-in heads
      Map.entry("e3fbcf63d7e43ead.js", "ES2017"));

  private static Path root;

  @BeforeAll
  static void download() throws IOException, InterruptedException {
    root = NpmTestPackage.fetch("test262-parser-tests", null);
  }

  @Test
  void passFilesParse() throws IOException {
    List<String> failures = new ArrayList<>();
    int count = 0;
    for (String folder : List.of("pass", "pass-explicit")) {
      for (Path file : jsFiles(folder)) {
        count++;
        try {
          parse(file);
        } catch (JsSyntaxError | IllegalStateException e) {
          failures.add(folder + "/" + file.getFileName() + ": " + e.getMessage());
        }
      }
    }
    report("pass + pass-explicit", count, failures);
    assertThat(failures).as("valid programs that were rejected").isEmpty();
  }

  @Test
  void failFilesAreRejected() throws IOException {
    List<String> failures = new ArrayList<>();
    int count = 0;
    for (Path file : jsFiles("fail")) {
      String name = file.getFileName().toString();
      if (VALID_SINCE.containsKey(name)) {
        continue;
      }
      count++;
      try {
        parse(file);
        failures.add("fail/" + name + " was accepted");
      } catch (JsSyntaxError expected) {
        // rejected, as it should be
      }
    }
    report("fail", count, failures);
    assertThat(failures).as("invalid programs that were accepted").isEmpty();
  }

  @Test
  void earlyErrorsAreMostlyRejected() throws IOException {
    List<Path> files = jsFiles("early");
    List<String> accepted = new ArrayList<>();
    for (Path file : files) {
      try {
        parse(file);
        accepted.add("early/" + file.getFileName());
      } catch (JsSyntaxError expected) {
        // rejected, as it should be
      }
    }
    int rejected = files.size() - accepted.size();
    System.out.printf("test262-parser-tests early/: %d of %d rejected (%.1f%%)%n",
        rejected, files.size(), 100.0 * rejected / files.size());
    accepted.stream().limit(40).forEach(name -> System.out.println("  accepted: " + name));
    assertThat(files).isNotEmpty();
  }

  private static void report(String what, int count, List<String> failures) {
    System.out.printf("test262-parser-tests %s: %d files, %d wrong%n", what, count, failures.size());
    failures.stream().limit(200).forEach(failure -> System.out.println("  " + failure));
  }

  private static List<Path> jsFiles(String folder) throws IOException {
    try (Stream<Path> files = Files.list(root.resolve(folder))) {
      return files.filter(file -> file.toString().endsWith(".js")).sorted().toList();
    }
  }

  private static void parse(Path file) throws IOException {
    String source = Files.readString(file, StandardCharsets.UTF_8);
    if (file.getFileName().toString().endsWith(".module.js")) {
      Parser.parseModule(source);
    } else {
      Parser.parseScript(source);
    }
  }
}
