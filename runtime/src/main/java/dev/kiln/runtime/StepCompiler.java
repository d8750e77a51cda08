package dev.kiln.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** Turns a step's {@code expression} into the module the host runs. */
interface StepCompiler {
  /**
   * @param repoDir the adaptor repo (for the adaptors' export lists), or null
   * @param globals the names the workflow globals module exports: never imported from an adaptor
   * @throws RunFailureException a {@code CompileError} naming the step and line
   */
  CompiledStep compile(PlanStep step, Path repoDir, Set<String> globals);

  /** For expressions that are already compiled ES modules (tests, {@code kiln run --no-compile}). */
  StepCompiler PRECOMPILED = (step, repoDir, globals) -> new CompiledStep(step.expression(), null, List.of());
}
