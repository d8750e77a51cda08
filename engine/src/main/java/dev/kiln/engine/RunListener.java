package dev.kiln.engine;

/**
 * Receives a run's events, in order, on the thread that called {@link RunSupervisor#run}.
 * A listener that throws does not stop the run: the exception is reported once and the listener
 * gets no further events except the final one.
 */
@FunctionalInterface
public interface RunListener {
  void onEvent(RunEvent event);
}
