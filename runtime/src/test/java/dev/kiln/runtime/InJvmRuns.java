package dev.kiln.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.protocol.Frame;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs plans in this JVM: a fresh Node runtime (fresh realm) per run, frames collected in memory.
 * The first runtime of a JVM takes about a second, the next ones tens of milliseconds.
 */
final class InJvmRuns {
  private InJvmRuns() {}

  /** Runs a plan whose expressions are already ES modules. */
  static RunFrames precompiled(String planJson, String input) {
    return precompiled(planJson, input, "{}");
  }

  static RunFrames precompiled(String planJson, String input, String optionsJson) {
    ObjectNode options = (ObjectNode) RunFrames.parse(optionsJson);
    options.put("compile", false);
    return run(planJson, input, options, StepCompiler.PRECOMPILED);
  }

  static RunFrames run(String planJson, String input, JsonNode options, StepCompiler compiler) {
    ObjectNode meta = RunFrames.JSON.createObjectNode();
    meta.set("plan", RunFrames.parse(planJson));
    meta.set("options", options);
    return runMeta(meta, input, compiler);
  }

  static RunFrames runMeta(ObjectNode meta, String input, StepCompiler compiler) {
    List<Frame> frames = new ArrayList<>();
    FrameSink sink = frames::add;
    try (NodeHost host = NodeHost.create(PlanRunner.logFrames(sink), System.err)) {
      new PlanRunner(host, sink, compiler, "test").run(meta, input);
    }
    return new RunFrames(frames);
  }
}
