package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.engine.CredentialResolver;
import dev.kiln.engine.RunFailure;
import dev.kiln.engine.RunLimits;
import dev.kiln.engine.RunOutcome;
import dev.kiln.engine.RunPhase;
import dev.kiln.engine.RunRequest;
import dev.kiln.engine.RunSupervisor;
import dev.kiln.runtime.PlanFileException;
import dev.kiln.runtime.PlanFileReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kiln run}: runs a job or workflow locally in a run process, with the openfn CLI's
 * everyday options, defaults and exit codes (spec §6): 0 when the workflow completed (also with
 * failed steps), 1 when it crashed or was killed, 9 for invalid arguments.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = RunCommand.EXIT_INVALID_ARGUMENTS,
    description = {
      "Run a job (.js) or a workflow (.json, .yaml) locally, in its own run process.",
      "Progress goes to stderr; the final state is printed as JSON (or written with -o)."
    })
public final class RunCommand implements Callable<Integer> {
  static final int EXIT_INVALID_ARGUMENTS = 9;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> SANITIZE = Set.of("none", "remove", "summarize", "obfuscate");
  private static final String DEFAULT_STATE = "{\"data\":{},\"configuration\":{}}";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<path>", description = "A job (.js) or a workflow (.json, .yaml, .yml).")
  Path path;

  @Option(names = {"-a", "--adaptor", "--adaptors"}, paramLabel = "<adaptor>",
      description = "Adaptor for a .js job, repeatable: common, common@3.3.4, @openfn/language-http.")
  List<String> adaptors = new ArrayList<>();

  @Option(names = {"-s", "--state-path"}, paramLabel = "<file>", description = "Input state file.")
  Path statePath;

  @Option(names = {"-S", "--state-stdin"}, paramLabel = "<json>", description = "Input state as a JSON string.")
  String stateJson;

  @Option(names = {"-o", "--output-path"}, paramLabel = "<file>", description = "Write the final state to this file.")
  Path outputPath;

  @Option(names = {"-O", "--output-stdout"}, description = "Print the final state (the default).")
  boolean outputStdout;

  @Option(names = "--credentials", paramLabel = "<map.json>",
      description = "Credential id → configuration map for steps whose configuration is an id.")
  Path credentialsPath;

  @Option(names = "--cache-steps",
      description = "Write each step's output to <dir>/.cli-cache/<workflow>/<step>.json.")
  boolean cacheSteps;

  @Option(names = "--start", paramLabel = "<step>", description = "Start at this step (id or unique part of id/name).")
  String start;

  @Option(names = "--end", paramLabel = "<step>", description = "Stop after this step.")
  String end;

  @Option(names = "--only", paramLabel = "<step>", description = "Run only this step.")
  String only;

  @Option(names = {"-t", "--timeout"}, paramLabel = "<ms>",
      description = "Per-step timeout in ms (default: the workflow's options.timeout, else 300000).")
  Long stepTimeoutMs;

  @Option(names = "--run-timeout", paramLabel = "<ms>", defaultValue = "0",
      description = "Whole-run timeout in ms; 0 (default) = none.")
  long runTimeoutMs;

  @Option(names = "--memory", paramLabel = "<mb>", defaultValue = "500",
      description = "Run memory limit in MB (default: ${DEFAULT-VALUE}).")
  int memoryMb;

  @Option(names = "--sanitize", paramLabel = "<policy>", defaultValue = "none",
      description = "Log sanitizing: none (default), remove, summarize, obfuscate.")
  String sanitize;

  @Option(names = {"-l", "--log"}, paramLabel = "<level>",
      description = "none, info, debug, default, or component=level,... (cli, runtime, compiler, job).")
  String log;

  @Option(names = "--log-json", description = "Print log lines and step results as JSON records.")
  boolean logJson;

  @Option(names = "--repo-dir", paramLabel = "<dir>",
      description = "Adaptor repo (default: $OPENFN_REPO_DIR, else ~/.openfn/repo).")
  Path repoDir;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    LogLevels levels = parseOptions();
    if (!levels.shows("CLI", "info")) {
      // the engine's own java.util.logging lines (installs, reaped processes) are debug output here
      java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    }
    if (!Files.isRegularFile(path)) {
      err.println("[CLI] ✖ File not found: " + path);
      return 1;
    }
    ObjectNode plan;
    try {
      plan = loadPlan(err);
    } catch (PlanFileException e) {
      err.println("[CLI] ✖ " + e.getMessage());
      return 1;
    }
    JsonNode steps = plan.path("workflow").path("steps");
    selectSteps(plan, steps);
    Path baseDir = path.toAbsolutePath().getParent();
    String workflowName = plan.path("workflow").path("name").asText("workflow");
    StepCache cache = cacheSteps ? new StepCache(baseDir, workflowName) : null;
    String input = inputState(plan, steps, baseDir, workflowName, err);
    if (cache != null) {
      cache.clear();
    }
    CredentialResolver credentials;
    try {
      credentials = credentialsPath == null ? CredentialMap.absent() : CredentialMap.read(credentialsPath);
    } catch (IOException e) {
      err.println("[CLI] ✖ Cannot read the credentials map " + credentialsPath + ": " + e.getMessage());
      return 1;
    }
    ObjectNode runtimeOptions = JSON.createObjectNode();
    runtimeOptions.put("sanitize", sanitize);
    runtimeOptions.put("jobLogLevel", levels.jobLevel());
    runtimeOptions.put("stepTimeoutMs", 300_000);
    if (stepTimeoutMs != null) {
      ((ObjectNode) plan.get("options")).put("timeout", stepTimeoutMs);
    }
    RunLimits limits = RunLimits.ofMemory(memoryMb, runTimeoutMs).withPayloadLimitMb(0);
    RunRequest request = new RunRequest(plan, input, limits, runtimeOptions, credentials);

    Map<String, String> names = new HashMap<>();
    steps.forEach(s -> names.put(s.path("id").asText(), s.path("name").asText(s.path("id").asText())));
    RunProgress progress = new RunProgress(spec.commandLine().getErr(), levels, logJson, names, cache);
    RunOutcome outcome;
    try (RunSupervisor supervisor = RunSupervisor.create(repoDir(), false)) {
      outcome = supervisor.run(request, progress);
    }
    return report(outcome, progress, err);
  }

  private LogLevels parseOptions() {
    if (!SANITIZE.contains(sanitize)) {
      throw invalid("Unknown sanitize value provided: " + sanitize);
    }
    if (memoryMb < 16) {
      throw invalid("--memory must be at least 16 (MB): " + memoryMb);
    }
    if (only != null && (start != null || end != null)) {
      throw invalid("--only cannot be combined with --start or --end");
    }
    try {
      return LogLevels.parse(log);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  private ObjectNode loadPlan(PrintWriter err) {
    String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
    ObjectNode plan;
    if (name.endsWith(".json") || name.endsWith(".yaml") || name.endsWith(".yml")) {
      if (!adaptors.isEmpty()) {
        throw invalid("adaptor and workflow provided: set each step's \"adaptors\" in the workflow"
            + " file instead of -a");
      }
      plan = PlanFileReader.read(path);
    } else {
      if (adaptors.isEmpty()) {
        err.println("[CLI] ⚠ WARNING: No adaptor provided! Pass one with -a, e.g. -a common");
      }
      plan = PlanFileReader.forJob(path, adaptors);
      ((ObjectNode) plan.path("workflow").path("steps").get(0)).put("id", "job-1");
    }
    if (!plan.hasNonNull("id")) {
      plan.put("id", plan.path("workflow").path("name").asText("workflow"));
    }
    return plan;
  }

  private void selectSteps(ObjectNode plan, JsonNode steps) {
    ObjectNode options = (ObjectNode) plan.get("options");
    try {
      if (only != null) {
        String id = StepSelector.find(steps, only, "--only");
        options.put("start", id);
        options.put("end", id);
      }
      if (start != null) {
        options.put("start", StepSelector.find(steps, start, "--start"));
      }
      if (end != null) {
        options.put("end", StepSelector.find(steps, end, "--end"));
      }
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  /** -S, else -s (a read failure only warns), else the cached upstream output for --start. */
  private String inputState(ObjectNode plan, JsonNode steps, Path baseDir, String workflow,
      PrintWriter err) throws IOException {
    if (stateJson != null) {
      try {
        JSON.readTree(stateJson);
      } catch (IOException e) {
        throw invalid("-S is not valid JSON: " + e.getMessage());
      }
      return stateJson;
    }
    if (statePath != null) {
      try {
        return Files.readString(statePath);
      } catch (IOException e) {
        err.println("[CLI] ⚠ Could not read the state file " + statePath + ": " + e.getMessage()
            + "; using the default state");
      }
    }
    String startStep = plan.path("options").path("start").asText(null);
    if (startStep != null && (start != null || only != null)) {
      StepCache cache = new StepCache(baseDir, workflow);
      for (String upstream : StepSelector.upstream(steps, startStep)) {
        Optional<String> cached = cache.read(upstream);
        if (cached.isPresent()) {
          err.println("[CLI] ℹ Using the cached output of step " + upstream + " as input state");
          return cached.get();
        }
      }
    }
    return DEFAULT_STATE;
  }

  private int report(RunOutcome outcome, RunProgress progress, PrintWriter err) throws IOException {
    if (!outcome.completed()) {
      RunFailure f = outcome.failure();
      err.println("[CLI] ✖ " + f.type() + ": " + f.message() + whilePhase(f.phase()));
      if (f.detail() != null && !f.detail().isEmpty() && !f.message().contains(f.detail())) {
        err.println("[CLI]   " + f.detail().replace("\n", "\n[CLI]   "));
      }
      err.println("[CLI] ✖ Workflow failed in " + Durations.format(outcome.durationMs()) + ".");
      err.flush();
      return 1;
    }
    String output = output(outcome.finalState());
    if (outputPath != null) {
      Path parent = outputPath.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.writeString(outputPath, output);
    } else if (!output.isEmpty()) {
      spec.commandLine().getOut().println(output);
      spec.commandLine().getOut().flush();
    }
    if (progress.failedSteps() > 0) {
      err.println("[CLI] ⚠ Errors reported in " + progress.failedSteps() + " jobs");
    }
    err.println("[CLI] ✔ Finished in " + Durations.format(outcome.durationMs()) + " ✨");
    err.flush();
    return 0;
  }

  private static String whilePhase(RunPhase phase) {
    if (phase == null) {
      return "";
    }
    return switch (phase) {
      case STARTUP -> " (while starting the run process)";
      case COMPILE -> " (while compiling)";
      case EXECUTE -> " (while executing)";
    };
  }

  /** The final state as the openfn CLI writes it: 2-space JSON, {@code configuration} dropped. */
  static String output(String finalState) throws IOException {
    if (finalState == null || finalState.isBlank()) {
      return "";
    }
    JsonNode state = JSON.readTree(finalState);
    if (state instanceof ObjectNode o && (o.has("configuration") || o.has("data"))) {
      o.remove("configuration");
    }
    return state.toPrettyString();
  }

  private Path repoDir() {
    if (repoDir != null) {
      return repoDir;
    }
    String env = System.getenv("OPENFN_REPO_DIR");
    return env != null && !env.isBlank() ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".openfn", "repo");
  }

  private CommandLine.ParameterException invalid(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
