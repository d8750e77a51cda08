package dev.kiln.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad job files get a clear CompileError with a position and a code frame, never a crash. */
class BadInputTest {

  static CompiledJob compile(String source) {
    return JobCompiler.compile(source, CompileOptions.named("src"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          fn(                       | Unexpected token (1:3)
          fn();\\nfn(})             | Unexpected token (2:3)
          with (a) {}               | 'with' in strict mode (1:0)
          return 1;                 | 'return' outside of function (1:0)
          fn(<div/>)                | Unexpected token (1:3)
          a b                       | Unexpected token (1:2)
          """)
  void syntaxErrorsAsAcornReportsThem(String source, String message) {
    assertThatThrownBy(() -> compile(source.replace("\\n", "\n")))
        .isInstanceOfSatisfying(
            CompileError.class,
            e -> {
              assertThat(e.getMessage()).isEqualTo(message);
              assertThat(e.codeFrame()).contains(">").contains("^");
            });
  }

  @Test
  void codeFrameShowsTheLinesAroundTheError() {
    assertThatThrownBy(() -> compile("fn();\nfn(})\nget();"))
        .isInstanceOfSatisfying(
            CompileError.class,
            e -> {
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.column()).isEqualTo(3);
              assertThat(e.codeFrame()).isEqualTo("  1 | fn();\n> 2 | fn(})\n    |    ^\n  3 | get();\n");
            });
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      textBlock =
          """
          fn("abc                   | Unterminated string constant (1:
          fn(`abc                   | Unterminated template (1:
          fn(); /* never closed     | Unterminated comment (1:6)
          """)
  void unterminatedTokens(String source, String message) {
    assertThatThrownBy(() -> compile(source)).isInstanceOf(CompileError.class).hasMessageStartingWith(message);
  }

  @Test
  void deepNestingIsAnErrorNotAStackOverflow() {
    String deep = "fn(" + "(".repeat(10_000) + "1" + ")".repeat(10_000) + ");";
    assertThatThrownBy(() -> compile(deep))
        .isInstanceOf(CompileError.class)
        .satisfies(e -> assertThat(e.getMessage()).matches(".*\\(\\d+:\\d+\\)"));
    String deepArrays = "fn(" + "[".repeat(10_000) + "x" + "]".repeat(10_000) + ");";
    assertThatThrownBy(() -> compile(deepArrays)).isInstanceOf(CompileError.class);
  }

  @Test
  void deepNestingBelowTheParsersLimitCompiles() {
    int depth = 4_000;
    String objects = "fn(" + "{ a: x, b: ".repeat(depth) + "$.y" + " }".repeat(depth) + ");";
    assertThat(compile(objects).code()).startsWith("export default [fn(state => ({ a: x, b: ").endsWith(" }))];");
    String arrows = "fn(" + "() => ".repeat(depth) + "x);";
    assertThat(compile(arrows).code()).startsWith("export default [fn(() => () => ");
  }

  @Test
  void emptyFile() {
    CompiledJob job = compile("");
    assertThat(job.code()).isEqualTo("export default [];");
    assertThat(job.operations()).isEmpty();
  }

  @Test
  void onlyComments() {
    CompiledJob job = compile("// nothing to do\n/* really */\n");
    assertThat(job.code()).isEqualTo("// nothing to do\n/* really */\nexport default [];");
    assertThat(job.operations()).isEmpty();
  }

  @Test
  void invalidUtf8NamesTheLine(@TempDir Path dir) throws IOException {
    Path job = dir.resolve("job.js");
    Files.write(job, new byte[] {'f', 'n', '(', ')', ';', '\n', 'f', 'n', '(', '"', (byte) 0xC3, (byte) 0x28, '"', ')'});
    assertThatThrownBy(() -> JobSource.read(job))
        .isInstanceOfSatisfying(
            CompileError.class,
            e -> {
              assertThat(e.getMessage()).contains("Invalid UTF-8").contains("line 2").endsWith("(2:4)");
              assertThat(e.line()).isEqualTo(2);
            });
  }

  @Test
  void overlongAndSurrogateEncodingsAreInvalid() {
    assertThat(JobSource.firstInvalidUtf8(new byte[] {(byte) 0xC0, (byte) 0xAF})).isZero();
    assertThat(JobSource.firstInvalidUtf8(new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80})).isEqualTo(1);
    assertThat(JobSource.firstInvalidUtf8(new byte[] {(byte) 0xE2, (byte) 0x82})).isZero();
    assertThat(JobSource.firstInvalidUtf8("héllo €𝄞".getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(-1);
  }

  @Test
  void byteOrderMarkIsStripped(@TempDir Path dir) throws IOException {
    Path job = dir.resolve("job.js");
    Files.write(job, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'f', 'n', '(', ')', ';'});
    assertThat(JobSource.read(job)).isEqualTo("fn();");
  }
}
