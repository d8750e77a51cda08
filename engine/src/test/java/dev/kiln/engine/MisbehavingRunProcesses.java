package dev.kiln.engine;

import java.io.PrintStream;

/**
 * Run processes that fail in ways the real one cannot be made to on purpose: they exercise the
 * supervisor's handling of a broken installation or a corrupted stream.
 */
final class MisbehavingRunProcesses {
  private MisbehavingRunProcesses() {}

  /** Never gets ready, as a run process hanging while it prepares for its next run would. */
  static final class NeverReady {
    public static void main(String[] args) throws Exception {
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  /** Dies at start-up, as a run process with a broken class path or native library would. */
  static final class DiesBeforeReady {
    public static void main(String[] args) {
      System.err.println("Exception in thread \"main\" java.lang.UnsatisfiedLinkError: libjavet-node.so");
      System.err.println("\tat dev.kiln.runtime.NodeHost.create(NodeHost.java:42)");
      System.exit(1);
    }
  }

  /** Sends a well-formed {@code ready}, then bytes that are no frame. */
  static final class BreaksTheProtocol {
    public static void main(String[] args) throws Exception {
      PrintStream out = System.out;
      out.print("ready 2 0\n{}");
      out.print("this is not a frame header and it goes on\n");
      out.flush();
      Thread.sleep(60_000);
    }
  }
}
