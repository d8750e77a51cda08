package dev.kiln.compiler.parse;

import dev.kiln.compiler.ast.Program;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Parses the generated 30 MB mapping job (pretty and minified) and prints time and heap; run in
 * a forked JVM by {@link LargeLiteralParseTest} with a small {@code -Xmx}, and by hand for the
 * figures in the README.
 */
public final class ParseLargeJobMain {
  private ParseLargeJobMain() {}

  public static void main(String[] args) {
    int chars = args.length > 0 ? Integer.parseInt(args[0]) : 30_000_000;
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (boolean pretty : new boolean[] {true, false}) {
      String source = LargeMappingJob.generate(chars, pretty);
      System.gc();
      long before = memory.getHeapMemoryUsage().getUsed();
      for (int round = 0; round < 3; round++) {
        long start = System.nanoTime();
        Program program = Parser.parseModule(source);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.gc();
        long retained = memory.getHeapMemoryUsage().getUsed() - before;
        String tree = AstDump.of(program);
        if (!tree.contains("VariableDeclarator(map PureOBJECT)")) {
          throw new AssertionError("the mapping table did not take the fast path: " + tree);
        }
        System.out.printf("%s %.1f MB: parse %d ms, retained after parse %.2f MB (tree %s)%n",
            pretty ? "pretty  " : "minified", source.length() / 1e6, millis, retained / 1e6,
            tree.length() > 300 ? tree.substring(0, 300) + "…" : tree);
        program = null;
      }
    }
    System.out.println("OK");
  }
}
