package dev.kiln.compiler.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.compiler.ast.ArrayExpression;
import dev.kiln.compiler.ast.Node;
import dev.kiln.compiler.ast.ObjectExpression;
import dev.kiln.compiler.ast.Program;
import dev.kiln.compiler.ast.PureLiteral;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The fast path must never change what is accepted or which error is reported: random
 * literal-heavy sources (and mutations of them) parse to the same outcome with and without it.
 */
class PureLiteralDifferentialTest {
  private static final String[] SCALARS = {
      "1", "-2", "0", "3.5", ".5", "1e3", "1E-3", "5.", "'s'", "\"d\"", "'\\n\\x41\\u0042\\u{1F600}'", "true", "false",
      "null", "010", "08", "1_0", "0x1F", "1n", "'\\07'", "'\\8'", "a", "`t`", "- 1", "-a", "+1", "'\\\n'", "\"\u2028\""};
  private static final String[] KEYS = {
      "a", "b1", "$_", "'k'", "\"k2\"", "1", "2.5", "__proto__", "'__proto__'", "default", "[c]", "...d", "e", "get f() {}"};

  @Test
  void fastPathAndOrdinaryParseAgree() {
    Random random = new Random(20261129);
    int pure = 0;
    for (int i = 0; i < 3000; i++) {
      StringBuilder literal = new StringBuilder();
      value(random, literal, 0);
      String source = "x = " + literal;
      if (random.nextInt(3) == 0 && source.length() > 5) {
        int at = 4 + random.nextInt(source.length() - 4);
        source = random.nextBoolean() ? source.substring(0, at) + source.substring(at + 1) : source.substring(0, at);
      }
      for (boolean module : new boolean[] {true, false}) {
        String fast = outcome(source, module, true);
        String ordinary = outcome(source, module, false);
        assertThat(fast).as("%s (%s)", source, module ? "module" : "script").isEqualTo(ordinary);
        if (fast.startsWith("ok")) {
          Set<String> pureSpans = new HashSet<>();
          collect(new ModuleParser(source, module).parseTopLevel(), pureSpans, true);
          if (!pureSpans.isEmpty()) {
            pure++;
            ModuleParser ordinaryParser = new ModuleParser(source, module);
            ordinaryParser.pureLiterals.disable();
            Set<String> literalSpans = new HashSet<>();
            collect(ordinaryParser.parseTopLevel(), literalSpans, false);
            assertThat(literalSpans).as(source).containsAll(pureSpans);
          }
        }
      }
    }
    assertThat(pure).as("sources that took the fast path").isGreaterThan(300);
  }

  private static void value(Random random, StringBuilder out, int depth) {
    int choice = depth > 4 ? 0 : random.nextInt(4);
    if (choice == 0) {
      out.append(random.nextInt(8) == 0 ? SCALARS[random.nextInt(SCALARS.length)] : SCALARS[random.nextInt(14)]);
      return;
    }
    boolean object = choice == 1;
    out.append(object ? '{' : '[');
    int count = random.nextInt(4);
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        out.append(random.nextInt(20) == 0 ? ",," : ", ");
      }
      if (random.nextInt(15) == 0) {
        out.append("/* c */ ");
      }
      if (object) {
        String key = random.nextInt(4) == 0 ? KEYS[random.nextInt(KEYS.length)] : KEYS[random.nextInt(7)];
        out.append(key);
        if (key.startsWith("...") || key.startsWith("get ") || (key.equals("e") && random.nextBoolean())) {
          continue;
        }
        out.append(": ");
      }
      value(random, out, depth + 1);
    }
    if (count > 0 && random.nextInt(5) == 0) {
      out.append(',');
    }
    out.append(object ? '}' : ']');
  }

  private static String outcome(String source, boolean module, boolean fastPath) {
    ModuleParser parser = new ModuleParser(source, module);
    if (!fastPath) {
      parser.pureLiterals.disable();
    }
    try {
      Program program = parser.parseTopLevel();
      return "ok " + program.body().size();
    } catch (JsSyntaxError e) {
      return e.getMessage();
    }
  }

  /** Spans of PureLiterals (pure) or of object/array expressions (not pure), as "kind start end". */
  private static void collect(Node node, Set<String> spans, boolean pure) {
    if (pure ? node instanceof PureLiteral : node instanceof ObjectExpression || node instanceof ArrayExpression) {
      spans.add(node.type() + " " + node.start() + " " + node.end());
    }
    node.forEachChild(child -> collect(child, spans, pure));
  }
}
