package dev.kiln.engine;

/**
 * Why a run did not complete: the error of its final {@code workflow-error} event. Types,
 * messages and severities are the reference engine's (spec §2.4).
 *
 * @param type the error type, e.g. {@code OOMError}, {@code CompileError}
 * @param message the message users see
 * @param severity {@code fail}, {@code crash}, {@code kill} or {@code exception}
 * @param phase where the run was when it failed, or null when it is not known or not relevant
 * @param detail what the supervisor observed (exit code, RSS, stderr tail), or null
 */
public record RunFailure(String type, String message, String severity, RunPhase phase, String detail) {
  static final String OOM_MESSAGE = "Run exceeded maximum memory usage";

  static RunFailure timeout(long ms) {
    String message = ms == 0
        ? "Workflow failed to return within the specified time limit"
        : "Workflow failed to return within " + ms + "ms";
    return new RunFailure("TimeoutError", message, "kill", null, null);
  }

  static RunFailure outOfMemory(RunPhase phase, String detail) {
    return new RunFailure("OOMError", OOM_MESSAGE, "kill", phase, detail);
  }

  static RunFailure exit(int code, String detail) {
    return new RunFailure("ExitError", "Process exited with code: " + code, "crash", null, detail);
  }

  static RunFailure signal(int signal, String detail) {
    return new RunFailure(
        "ExitError", "Process exited with signal: " + Signals.name(signal), "crash", null, detail);
  }

  static RunFailure autoinstall(String specifier, String message) {
    return new RunFailure(
        "AutoinstallError", "Error installing " + specifier + ": " + message, "exception", null, null);
  }

  static RunFailure credentialLoad(String message) {
    return new RunFailure("CredentialLoadError", message, "exception", null, null);
  }

  static RunFailure execution(String message) {
    return new RunFailure("ExecutionError", message, "exception", null, null);
  }

  RunFailure withPhase(RunPhase p) {
    return new RunFailure(type, message, severity, p, detail);
  }
}
