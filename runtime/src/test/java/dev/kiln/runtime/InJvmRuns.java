package dev.kiln.runtime;

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

  /** Runs a plan (lenient JSON) whose expressions are already ES modules, with the default input. */
  static RunFrames precompiled(String plan) {
    return precompiled(plan, null, "{}");
  }

  /** Runs a plan whose expressions are already ES modules; plan, input and options are lenient JSON. */
  static RunFrames precompiled(String plan, String input, String options) {
    ObjectNode opts = (ObjectNode) RunFrames.lenient(options);
    opts.put("compile", false);
    ObjectNode meta = RunFrames.JSON.createObjectNode();
    meta.set("plan", RunFrames.lenient(plan));
    meta.set("options", opts);
    return runMeta(meta, input == null ? null : RunFrames.lenient(input).toString(), StepCompiler.PRECOMPILED);
  }

  static RunFrames runMeta(ObjectNode meta, String input, StepCompiler compiler) {
    List<Frame> frames = new ArrayList<>();
    ScrubbingFrameSink sink = new ScrubbingFrameSink(frames::add);
    try (NodeHost host = NodeHost.create(PlanRunner.logFrames(sink), System.err)) {
      new PlanRunner(host, sink, compiler, "test").run(meta, input);
    }
    return new RunFrames(frames);
  }
}
