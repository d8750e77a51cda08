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
import java.util.Base64;

/**
 * The indexing process: started by the engine like a run process (locked down, same arguments,
 * one {@code --preload <adaptor folder>}), it loads that installed adaptor in a fresh Node runtime
 * without any index, recording its resolution index ({@code host/resolution.js}) and the V8 code
 * caches of its CommonJS modules ({@code host/precompiled.js}), and writes two
 * {@code adaptor-index} frames to stdout, each naming its file in its meta: {@code {"file":
 * "index.json"}} (body: the index JSON) and {@code {"file": "modules.cache"}} (the caches); then
 * it exits 0. On failure it writes why to stderr and exits 1. It runs no job code, and it writes
 * nothing: the engine checks both and stores them in the repo, where run processes cannot write.
 */
public final class AdaptorIndexMain {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The files of an index in {@code <repo>/.kiln/adaptors/<alias>/}, as the {@code file} of each frame's meta. */
  public static final String INDEX_FILE = "index.json";
  public static final String CACHE_FILE = "modules.cache";

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
    out.write(new Frame(FrameType.ADAPTOR_INDEX, "{\"file\":\"" + INDEX_FILE + "\"}",
        JSON.writeValueAsBytes(report.get("index"))));
    out.write(new Frame(FrameType.ADAPTOR_INDEX, "{\"file\":\"" + CACHE_FILE + "\"}",
        Base64.getDecoder().decode(report.path("cache").asText())));
    halt(0);
  }

  /** Exits without waiting for timers or sockets the adaptor's evaluation may have left open. */
  private static void halt(int code) {
    System.err.flush();
    Runtime.getRuntime().halt(code);
  }
}
