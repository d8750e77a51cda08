package dev.kiln.devserver;

import java.util.Locale;
import java.util.Optional;

/** Lightning's run states ({@code lightning:lib/lightning/runs/run.ex}). */
enum RunState {
  AVAILABLE, CLAIMED, STARTED, SUCCESS, FAILED, CRASHED, CANCELLED, KILLED, EXCEPTION, LOST;

  String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  boolean isFinal() {
    return this != AVAILABLE && this != CLAIMED && this != STARTED;
  }

  static RunState of(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }

  /**
   * The final state for a worker's {@code run:complete} reason, as Lightning's
   * {@code CompleteRun.reason_to_state}: ok/success, fail, crash, cancel, kill, exception; other
   * strings pass through and must name a final state ({@code lost}).
   */
  static Optional<RunState> fromReason(String reason) {
    return Optional.ofNullable(switch (reason == null ? "" : reason) {
      case "ok", "success" -> SUCCESS;
      case "fail" -> FAILED;
      case "crash" -> CRASHED;
      case "cancel" -> CANCELLED;
      case "kill" -> KILLED;
      case "exception" -> EXCEPTION;
      case "lost" -> LOST;
      default -> null;
    });
  }
}
