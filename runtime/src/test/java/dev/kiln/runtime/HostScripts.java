package dev.kiln.runtime;

import com.caoccao.javet.enums.V8AwaitMode;
import com.caoccao.javet.exceptions.JavetException;
import com.caoccao.javet.interop.NodeRuntime;
import com.caoccao.javet.interop.V8Host;
import com.caoccao.javet.values.reference.V8ValueFunction;
import com.caoccao.javet.values.reference.V8ValueObject;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's JS files in a bare Node runtime, for unit tests of single host modules:
 * {@code hostRequire('state.js')} is available to the evaluated snippets; log records are collected.
 */
final class HostScripts implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final NodeRuntime runtime;
  private final NodeHost.Bridge bridge;
  final List<String> logs = new ArrayList<>();

  HostScripts() throws JavetException {
    NodeHost.configureProcess(0);
    runtime = V8Host.getNodeInstance().createV8Runtime();
    bridge = new NodeHost.Bridge((level, name, message, time) -> logs.add(name + " " + level + " " + message), System.err);
    try (V8ValueObject bridgeObject = runtime.createV8ValueObject();
        V8ValueFunction bootstrap = runtime.getExecutor(NodeHost.resource("bootstrap.js")).execute()) {
      bridgeObject.bind(bridge);
      try (V8ValueFunction load = bootstrap.call(null, bridgeObject)) {
        runtime.getGlobalObject().set("hostRequire", load);
        runtime.getGlobalObject().set("bridge", bridgeObject);
      }
    }
  }

  /**
   * Evaluates {@code expression} in a fresh Node runtime with the host files; returns its JSON
   * value (an assertion error when it throws).
   */
  static JsonNode inFreshRuntime(String expression) {
    try (HostScripts js = new HostScripts()) {
      String result = js.eval(expression);
      if (result.startsWith("THROWN")) {
        throw new AssertionError(result + " evaluating " + expression);
      }
      return JSON.readTree(result);
    } catch (JavetException | IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Evaluates an expression (it may return a promise); returns its JSON text, or "THROWN: message". */
  String eval(String expression) throws JavetException {
    runtime.getExecutor("""
        Promise.resolve().then(async () => (%s)).then(
          (v) => bridge.stepDone(v === undefined ? 'undefined' : JSON.stringify(v), null),
          (e) => bridge.stepDone('THROWN: ' + (e?.message ?? e), null));
        """.formatted(expression)).executeVoid();
    while (bridge.pending() == null) {
      if (!runtime.await(V8AwaitMode.RunOnce) && bridge.pending() == null) {
        runtime.await(V8AwaitMode.RunNoWait);
        if (bridge.pending() == null) {
          throw new AssertionError("the expression never settled: " + expression);
        }
      }
    }
    String result = bridge.pending().metaJson();
    bridge.stepDone(null, null);
    return result;
  }

  @Override
  public void close() throws JavetException {
    runtime.close();
  }
}
