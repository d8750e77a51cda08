package dev.kiln.compiler.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.interop.NodeRuntime;
import com.caoccao.javet.interop.V8Host;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Kiln's trees equal acorn's (the parser the reference uses), field by field and offset by
 * offset: acorn 8.15.0 from the npm registry, run in real Node (Javet), parses the same files
 * with {@code ecmaVersion: 2024} (ES2023 plus the regex {@code v} flag). Kiln parses them with
 * the large-literal fast path off (the fast path replaces subtrees on purpose;
 * {@link PureLiteralDifferentialTest} covers it).
 */
@Tag("integration")
class AcornOracleTest {
  private static final String ACORN_VERSION = "8.15.0";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static NodeRuntime node;
  private static Path test262;

  @BeforeAll
  static void startAcorn() throws IOException, InterruptedException, JavetException {
    Path acorn = NpmTestPackage.fetch("acorn", ACORN_VERSION);
    test262 = NpmTestPackage.fetch("test262-parser-tests", null);
    node = V8Host.getNodeInstance().createV8Runtime();
    node.getExecutor(Files.readString(acorn.resolve("dist/acorn.js"))).executeVoid();
    node.getExecutor("""
        globalThis.parseToJson = (source, sourceType) => {
          try {
            const ast = acorn.parse(source, { ecmaVersion: 2024, sourceType, allowHashBang: true });
            return JSON.stringify(ast, (key, value) =>
                typeof value === 'bigint' ? 'BIGINT' : value instanceof RegExp ? null : value);
          } catch (e) {
            return 'ERROR ' + e.message;
          }
        };
        """).executeVoid();
  }

  @AfterAll
  static void stopNode() throws JavetException {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void treesOfTest262PassFilesEqualAcorns() throws IOException, JavetException {
    List<String> differences = new ArrayList<>();
    int count = 0;
    for (String folder : List.of("pass", "pass-explicit")) {
      try (Stream<Path> files = Files.list(test262.resolve(folder))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".js")).sorted().toList()) {
          count++;
          String difference = compare(Files.readString(file), file.toString().endsWith(".module.js"));
          if (difference != null) {
            differences.add(folder + "/" + file.getFileName() + ": " + difference);
          }
        }
      }
    }
    System.out.printf("acorn %s oracle: %d test262 pass files, %d differ%n", ACORN_VERSION, count, differences.size());
    differences.stream().limit(50).forEach(difference -> System.out.println("  " + difference));
    assertThat(differences).isEmpty();
  }

  @Test
  void treesOfModernAndSloppySyntaxEqualAcorns() throws IOException, JavetException {
    assertThat(compare(resource("modern-syntax.module.js"), true)).isNull();
    assertThat(compare(resource("sloppy-syntax.js"), false)).isNull();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = AcornOracleTest.class.getResourceAsStream("/parse/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Null when both parsers accept the source with equal trees, else what differs. */
  private static String compare(String source, boolean module) throws IOException, JavetException {
    String acornJson = node.getGlobalObject().invokeString("parseToJson", source, module ? "module" : "script");
    ModuleParser parser = new ModuleParser(source, module);
    parser.pureLiterals.disable();
    JsonNode mine;
    try {
      mine = EstreeJson.of(parser.parseTopLevel());
    } catch (JsSyntaxError e) {
      return "Kiln rejects (" + e.getMessage() + "), acorn " + (acornJson.startsWith("ERROR ") ? acornJson : "accepts");
    }
    if (acornJson.startsWith("ERROR ")) {
      return "acorn rejects (" + acornJson + "), Kiln accepts";
    }
    return EstreeJson.difference(mine, MAPPER.readTree(acornJson), "Program");
  }
}
