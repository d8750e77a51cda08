package dev.kiln.runtime;

import dev.kiln.runtime.protocol.Frame;

/**
 * The run process' frame sink: scrubs the run's secrets ({@link SecretScrubber}) from the meta of
 * every frame (log lines, error messages) before it leaves. Bodies (states) are not touched here:
 * {@code configuration} is stripped from them, and {@link PlanRunner} scrubs error states itself.
 * The secrets are known once the {@code run} frame arrives; the Node host logs through this sink
 * from its start.
 */
final class ScrubbingFrameSink implements FrameSink {
  private final FrameSink out;
  private volatile SecretScrubber secrets = SecretScrubber.NONE;

  ScrubbingFrameSink(FrameSink out) {
    this.out = out;
  }

  void secrets(SecretScrubber scrubber) {
    this.secrets = scrubber;
  }

  SecretScrubber secrets() {
    return secrets;
  }

  @Override
  public void send(Frame frame) {
    SecretScrubber s = secrets;
    out.send(s.isEmpty() ? frame : new Frame(frame.type(), s.scrub(frame.metaJson()), frame.body()));
  }
}
