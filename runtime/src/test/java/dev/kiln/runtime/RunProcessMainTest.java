package dev.kiln.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.runtime.protocol.Frame;
import dev.kiln.runtime.protocol.FrameReader;
import dev.kiln.runtime.protocol.FrameType;
import dev.kiln.runtime.protocol.FrameWriter;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class RunProcessMainTest {

  private static String runMeta(String expression, String adaptor) {
    ObjectNode meta = RunFrames.JSON.createObjectNode();
    ObjectNode step = meta.putObject("plan").put("id", "p1").putObject("workflow").putArray("steps").addObject();
    step.put("id", "a").put("expression", expression).putArray("adaptors").add(adaptor);
    meta.putObject("options").put("compile", false).put("repoDir", Fixtures.repo().toString());
    return meta.toString();
  }

  @Test
  void runsAPlanWithAnAdaptorEndToEndAndKeepsStrayOutputOffTheFrameStream() throws Exception {
    String expression = """
        import { fn, noisy } from '@openfn/language-fixture';
        export * from '@openfn/language-fixture';
        export default [noisy(), fn(s => { s.data.x = 1; console.log('hi'); return s; })];
        """;
    RunProcessHarness.Result result =
        RunProcessHarness.run(128, runMeta(expression, "@openfn/language-fixture@1.0.0"), "{\"data\":{\"y\":2}}");

    assertThat(result.exitCode()).isZero();
    assertThat(RunFrames.parse(result.ready().metaJson()).path("versions").path("node").asText()).startsWith("22.");
    RunFrames run = result.run();
    assertThat(run.typesWithoutLogs()).containsExactly(
        FrameType.WORKFLOW_START, FrameType.COMPILE_START, FrameType.COMPILE_COMPLETE,
        FrameType.STEP_START, FrameType.STEP_COMPLETE, FrameType.WORKFLOW_COMPLETE);
    assertThat(run.finalState().toString()).isEqualTo("{\"data\":{\"y\":2,\"x\":1}}");
    assertThat(run.metas(FrameType.WORKFLOW_START).get(0).path("versions").path("@openfn/language-fixture").toString())
        .isEqualTo("[\"1.0.0\"]");
    assertThat(run.logLines()).contains(
        "JOB info hi",
        "ADA info fixture execute",
        "ADA debug adaptor debug",
        "ADA info adaptor log {\"configuration\":{\"password\":\"****\"}}",
        "R/T info Resolved adaptor @openfn/language-fixture to version 1.0.0");
    assertThat(result.stderr()).contains("stray stdout", "stray stderr", "table", "row", "t: ");
  }

  @Test
  void aCompileErrorEndsTheRunWithAWorkflowErrorNamingTheStep() throws Exception {
    ObjectNode meta = (ObjectNode) RunFrames.parse(runMeta("fn(s => s", "@openfn/language-fixture@1.0.0"));
    ((ObjectNode) meta.get("options")).put("compile", true);
    ((ObjectNode) meta.path("plan").path("workflow").path("steps").get(0)).put("name", "My Step");

    RunProcessHarness.Result result = RunProcessHarness.run(128, meta.toString(), "");

    assertThat(result.exitCode()).isZero();
    assertThat(result.run().typesWithoutLogs())
        .containsExactly(FrameType.WORKFLOW_START, FrameType.COMPILE_START, FrameType.WORKFLOW_ERROR);
    assertThat(result.run().workflowError().path("type").asText()).isEqualTo("CompileError");
    assertThat(result.run().workflowError().path("severity").asText()).isEqualTo("crash");
    assertThat(result.run().workflowError().path("message").asText()).startsWith("My Step: ");
    assertThat(result.run().logLines()).contains("R/T error Error occurred during compilation");
  }

  @Test
  void concurrentFirstStartsShareOneExtractionOfTheNativeLibrary(@TempDir Path cache) throws Exception {
    Path err1 = Files.createTempFile(cache.getParent(), "kiln", ".err");
    Path err2 = Files.createTempFile(cache.getParent(), "kiln", ".err");
    Process first = RunProcessHarness.start(64, err1, cache);
    Process second = RunProcessHarness.start(64, err2, cache);
    try {
      for (Process p : List.of(first, second)) {
        Frame ready = new FrameReader(p.getInputStream()).read();
        assertThat(ready).isNotNull();
        assertThat(ready.type()).isEqualTo(FrameType.READY);
        p.getOutputStream().close(); // no run frame: the process exits 0
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
      }
    } finally {
      first.destroyForcibly();
      second.destroyForcibly();
      Files.deleteIfExists(err1);
      Files.deleteIfExists(err2);
    }
    try (var files = Files.list(cache)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".")))
          .containsExactly("libjavet-node-linux-x86_64.v.4.1.1.so");
    }
  }

  @Test
  void theMemoryLimitCapsTheV8Heap() throws Exception {
    String meta = RunFrames.JSON.createObjectNode()
        .<ObjectNode>set("plan", RunFrames.lenient(
            "{workflow: {steps: [{expression: 'export default [s => { const a = []; while (true) a.push({n: a.length, s: String(a.length)}); }]'}]}}"))
        .<ObjectNode>set("options", RunFrames.lenient("{compile: false}"))
        .toString();
    RunProcessHarness.Result result = RunProcessHarness.run(64, meta, "");
    assertThat(result.exitCode()).isEqualTo(134);
    assertThat(result.stderr()).contains("heap out of memory");
    assertThat(result.run().types()).doesNotContain(FrameType.WORKFLOW_COMPLETE, FrameType.WORKFLOW_ERROR);
  }

  @Test
  void aMalformedRunFrameStillEndsWithAWorkflowError() throws Exception {
    RunProcessHarness.Result result = RunProcessHarness.run(64, "{not json", "");
    assertThat(result.exitCode()).isZero();
    assertThat(result.run().workflowError().path("type").asText()).isEqualTo("ExecutionError");
    assertThat(result.run().workflowError().path("message").asText()).startsWith("The run frame's meta is not valid JSON");
  }

  /** Reads frames up to and including {@code last}; fails at the end of the stream. */
  private static List<Frame> framesUntil(FrameReader reader, String last) throws Exception {
    List<Frame> frames = new java.util.ArrayList<>();
    for (Frame f = reader.read(); ; f = reader.read()) {
      assertThat(f).as("a %s frame after %s", last, frames).isNotNull();
      frames.add(f);
      if (f.type().equals(last)) {
        return frames;
      }
    }
  }

  @Test
  void aRecycledProcessEvaluatesAheadTheLazyDependenciesThePreviousRunUsed(@TempDir Path repo) throws Exception {
    Fixtures.copyRepo(repo);
    String alias = "@openfn/language-lazydeps_1.0.0";
    Path root = repo.resolve("node_modules").resolve(alias);
    Path index = repo.resolve(".kiln/adaptors").resolve(alias).resolve("index.json");
    Files.createDirectories(index.getParent());
    Files.writeString(index, AdaptorResolutionIndexTest.record(root).toString());
    // when the step starts, and when lazy-function was evaluated (at the step's first use, or before)
    String expression = """
        import { toolEvaluatedAt } from '@openfn/language-lazydeps';
        export default [(s) => { const stepStart = Date.now(); return { data: { stepStart, evaluatedAt: toolEvaluatedAt() } }; }];
        """;
    ObjectNode meta = (ObjectNode) RunFrames.parse(runMeta(expression, "@openfn/language-lazydeps@1.0.0"));
    ((ObjectNode) meta.get("options")).put("repoDir", repo.toString());
    ObjectNode recycled = meta.deepCopy();
    recycled.putObject("recycle").putArray("preload").add(root.toString());
    Path stderrFile = Files.createTempFile("kiln-run", ".stderr");
    Process process = RunProcessHarness.start(128, stderrFile);
    try (OutputStream stdin = process.getOutputStream()) {
      FrameReader reader = new FrameReader(process.getInputStream());
      FrameWriter writer = new FrameWriter(stdin);
      framesUntil(reader, FrameType.READY);
      writer.write(Frame.withBody(FrameType.RUN, recycled.toString(), "{}"));
      JsonNode first = new RunFrames(framesUntil(reader, FrameType.WORKFLOW_COMPLETE)).finalState().path("data");
      framesUntil(reader, FrameType.READY); // a fresh runtime, language-lazydeps preloaded
      long readyAt = System.currentTimeMillis(); // the same wall clock as Node's Date.now()
      writer.write(Frame.withBody(FrameType.RUN, meta.toString(), "{}"));
      JsonNode second = new RunFrames(framesUntil(reader, FrameType.WORKFLOW_COMPLETE)).finalState().path("data");
      assertThat(first.path("evaluatedAt").asLong()).as("first run: at its use, stderr %s", Files.readString(stderrFile))
          .isGreaterThanOrEqualTo(first.path("stepStart").asLong());
      assertThat(second.path("evaluatedAt").asLong()).as("second run: ahead, before the process was ready")
          .isLessThanOrEqualTo(readyAt);
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(stderrFile);
    }
  }
}
