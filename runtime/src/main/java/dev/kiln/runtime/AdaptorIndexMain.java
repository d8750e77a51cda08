package dev.kiln.runtime;

import com.caoccao.javet.interop.loader.JavetLibLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.protocol.Frame;
import dev.kiln.runtime.protocol.FrameType;
import dev.kiln.runtime.protocol.FrameWriter;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The indexing process: started by the engine like a run process (locked down, same arguments,
 * one {@code --preload <adaptor folder>}), it loads that installed adaptor in a fresh Node runtime
 * without any index, records its resolution index ({@code host/resolution.js}) and writes it as
 * one {@code adaptor-index} frame (body: the index JSON) to stdout, then exits 0; on failure it
 * writes why to stderr and exits 1. It runs no job code, and it writes nothing: the engine checks
 * the index and stores it in the repo, where run processes cannot write.
 */
public final class AdaptorIndexMain {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AdaptorIndexMain() {}

  public static void main(String[] args) throws IOException {
    FrameWriter out = new FrameWriter(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
    PrintStream stderr = System.err;
    System.setOut(stderr);
    RunProcessMain.ProcessArgs processArgs;
    try {
      processArgs = RunProcessMain.ProcessArgs.parse(args);
      if (processArgs.preloads().size() != 1) {
        throw new IllegalArgumentException("give exactly one --preload <adaptor folder> to index");
      }
    } catch (IllegalArgumentException e) {
      stderr.println("AdaptorIndexMain: " + e.getMessage());
      halt(2);
      return;
    }
    String root = processArgs.preloads().get(0);
    NodeHost.configureProcess(processArgs.heapLimitMb(), processArgs.permissions());
    NodeHost host = NodeHost.create((level, name, message, time) -> stderr.println(name + " " + level + " " + message),
        stderr);
    JsonNode report = JSON.readTree(host.recordAdaptorIndex(root));
    if (!report.has("index")) {
      stderr.println("AdaptorIndexMain: could not index " + root + ": " + report.path("error").asText());
      halt(1);
      return;
    }
    // the engine's check that the index was made by the Node its run processes embed
    ((ObjectNode) report.get("index")).put("javet", JavetLibLoader.LIB_VERSION);
    out.write(new Frame(FrameType.ADAPTOR_INDEX, "{}",
        JSON.writeValueAsString(report.get("index")).getBytes(StandardCharsets.UTF_8)));
    halt(0);
  }

  /** Exits without waiting for timers or sockets the adaptor's evaluation may have left open. */
  private static void halt(int code) {
    System.err.flush();
    Runtime.getRuntime().halt(code);
  }
}
