package dev.kiln.runtime;

import dev.kiln.runtime.protocol.Frame;

/** Where a run's frames go: the real stdout in a run process, a list in tests. */
@FunctionalInterface
interface FrameSink {
  void send(Frame frame);
}
