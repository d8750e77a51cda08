package dev.kiln.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A stand-in for the compiler in tests: leaves the (already ES module) expression as it is and
 * returns an identity source map over it, named like the compiler names it, plus the given
 * top-level operations. Lets error-position tests run without depending on the compiler's output.
 */
record IdentityMapCompiler(List<CompiledStep.OperationRef> operations) implements StepCompiler {

  @Override
  public CompiledStep compile(PlanStep step, Path repoDir, Set<String> globals) {
    String source = step.expression();
    long lines = source.chars().filter(c -> c == '\n').count() + 1;
    StringBuilder mappings = new StringBuilder("AAAA");
    for (int i = 1; i < lines; i++) {
      mappings.append(";AACA");
    }
    String map = RunFrames.JSON.createObjectNode()
        .put("version", 3)
        .put("file", step.displayName() + ".map.js")
        .put("mappings", mappings.toString())
        .<com.fasterxml.jackson.databind.node.ObjectNode>set("sources",
            RunFrames.JSON.createArrayNode().add(step.displayName() + ".js"))
        .<com.fasterxml.jackson.databind.node.ObjectNode>set("sourcesContent", RunFrames.JSON.createArrayNode().add(source))
        .toString();
    return new CompiledStep(source, map, operations);
  }
}
