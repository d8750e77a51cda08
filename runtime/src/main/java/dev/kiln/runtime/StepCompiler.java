package dev.kiln.runtime;

import java.nio.file.Path;
import java.util.List;

/** Turns a step's {@code expression} into the module the host runs. */
interface StepCompiler {
  /**
   * @param repoDir the adaptor repo (for the adaptors' export lists), or null
   * @throws RunFailureException a {@code CompileError} naming the step and line
   */
  CompiledStep compile(PlanStep step, Path repoDir);

  /** For expressions that are already compiled ES modules (tests, {@code kiln run --no-compile}). */
  StepCompiler PRECOMPILED = (step, repoDir) -> new CompiledStep(step.expression(), null, List.of());
}
