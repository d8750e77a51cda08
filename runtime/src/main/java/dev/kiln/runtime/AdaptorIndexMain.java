package dev.kiln.runtime;

import com.caoccao.javet.interop.loader.JavetLibLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * without any index, recording its resolution index ({@code host/resolution.js}) and the source of
 * its CommonJS modules ({@code host/precompiled.js}), then loads it again from that source in a
 * second fresh runtime and takes the modules' V8 code caches. It writes {@code adaptor-index}
 * frames to stdout, each naming its file in its meta ({@code {"file": "index.json"}}, then
 * {@code modules.js} and {@code modules.cache} unless the caches could not be made), and exits 0;
 * on failure it writes why to stderr and exits 1. It runs no job code, and it writes nothing: the
 * engine checks the files and stores them in the repo, where run processes cannot write.
 */
public final class AdaptorIndexMain {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The files of an index, as the {@code file} of the meta of each frame. */
  static final String INDEX = "index.json";
  static final String SOURCE = "modules.js";
  static final String CACHE = "modules.cache";

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
    LogSink logs = (level, name, message, time) -> stderr.println(name + " " + level + " " + message);
    JsonNode recorded;
    try (NodeHost host = NodeHost.create(logs, stderr)) {
      recorded = JSON.readTree(host.recordAdaptorIndex(root));
    }
    if (!recorded.has("index")) {
      stderr.println("AdaptorIndexMain: could not index " + root + ": " + recorded.path("error").asText());
      halt(1);
      return;
    }
    ObjectNode index = (ObjectNode) recorded.get("index");
    // the engine's check that the index was made by the Node its run processes embed
    index.put("javet", JavetLibLoader.LIB_VERSION);
    String source = recorded.path("source").asText();
    byte[] cache = cacheModules(root, index, source, logs, stderr);
    out.write(new Frame(FrameType.ADAPTOR_INDEX, "{\"file\":\"" + INDEX + "\"}", JSON.writeValueAsBytes(index)));
    if (cache != null) {
      out.write(new Frame(FrameType.ADAPTOR_INDEX, "{\"file\":\"" + SOURCE + "\"}", source.getBytes(StandardCharsets.UTF_8)));
      out.write(new Frame(FrameType.ADAPTOR_INDEX, "{\"file\":\"" + CACHE + "\"}", cache));
    }
    halt(0);
  }

  /**
   * Loads the adaptor again, from the recorded module source, in a second fresh runtime and
   * returns the modules' code caches, each module's range in them appended to its entry in
   * {@code index.bundle.modules}; on failure removes {@code bundle} from the index (the adaptor
   * then loads with the resolution index only) and returns null.
   */
  private static byte[] cacheModules(String root, ObjectNode index, String source, LogSink logs, PrintStream stderr)
      throws IOException {
    JsonNode caches;
    try (NodeHost host = NodeHost.create(logs, stderr)) {
      caches = JSON.readTree(host.cacheAdaptorModules(root, JSON.writeValueAsString(index), source));
    }
    JsonNode modules = index.path("bundle").path("modules");
    if (!caches.has("cache") || caches.path("ranges").size() != modules.size()) {
      stderr.println("AdaptorIndexMain: no precompiled modules for " + root + ": " + caches.path("error").asText());
      index.remove("bundle");
      return null;
    }
    for (int i = 0; i < modules.size(); i++) {
      ((ArrayNode) modules.get(i)).addAll((ArrayNode) caches.get("ranges").get(i));
    }
    return Base64.getDecoder().decode(caches.get("cache").asText());
  }
  /** Exits without waiting for timers or sockets the adaptor's evaluation may have left open. */
  private static void halt(int code) {
    System.err.flush();
    Runtime.getRuntime().halt(code);
  }
}
