package dev.kiln.runtime;

/** Where log records from the Node host go (the run process turns them into {@code log} frames). */
interface LogSink {
  /**
   * @param level debug, info, warn, error, success or always
   * @param name the logger: R/T, JOB or ADA
   * @param messageJson the sanitized argument array as JSON text
   * @param time nanoseconds since the epoch, as a decimal string
   */
  void log(String level, String name, String messageJson, String time);
}
