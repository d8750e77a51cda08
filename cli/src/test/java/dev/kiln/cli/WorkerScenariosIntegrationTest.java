package dev.kiln.cli;

import static dev.kiln.cli.LightningPlans.addJob;
import static dev.kiln.cli.LightningPlans.all;
import static dev.kiln.cli.LightningPlans.first;
import static dev.kiln.cli.LightningPlans.job;
import static dev.kiln.cli.LightningPlans.last;
import static dev.kiln.cli.LightningPlans.logs;
import static dev.kiln.cli.LightningPlans.names;
import static dev.kiln.cli.LightningPlans.oneJob;
import static dev.kiln.cli.LightningPlans.options;
import static dev.kiln.cli.LightningPlans.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The scenarios of the reference's worker integration tests (spec lightning-protocol §9.2) that
 * need no internet, against a real dev server and a real {@code kiln worker} process, in both
 * dev-server modes: plain Phoenix, and lightning-mock quirks (with {@code --batch-logs}, so both
 * log paths are covered). One server and one worker per mode are shared by all scenarios.
 */
@Tag("integration")
class WorkerScenariosIntegrationTest {
  private static final Duration RUN_TIMEOUT = Duration.ofSeconds(180);
  private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  private static final Map<Mode, DevPlatform> PLATFORMS = new EnumMap<>(Mode.class);

  enum Mode {
    PHOENIX(false), MOCK_QUIRKS(true);

    final boolean quirks;

    Mode(boolean quirks) {
      this.quirks = quirks;
    }
  }

  private static synchronized DevPlatform platform(Mode mode) throws Exception {
    DevPlatform platform = PLATFORMS.get(mode);
    if (platform == null) {
      Path dir = Files.createTempDirectory("kiln-e2e-" + mode);
      String monorepo = Path.of(WorkerScenariosIntegrationTest.class.getResource("/monorepo").toURI()).toString();
      platform = mode.quirks
          ? DevPlatform.start(dir, true, "--capacity", "4", "--monorepo-dir", monorepo, "--batch-logs")
          : DevPlatform.start(dir, false, "--capacity", "4", "--monorepo-dir", monorepo);
      PLATFORMS.put(mode, platform);
    }
    return platform;
  }

  @AfterAll
  static void stop() {
    PLATFORMS.forEach((mode, platform) -> System.out.println("worker output (" + mode + "):\n" + platform.worker.output()));
    PLATFORMS.values().forEach(DevPlatform::close);
    PLATFORMS.clear();
  }

  private static List<DevPlatform.Event> run(Mode mode, ObjectNode submission) throws Exception {
    DevPlatform platform = platform(mode);
    return platform.events(platform.submit(submission), RUN_TIMEOUT);
  }

  private static JsonNode complete(List<DevPlatform.Event> events) {
    DevPlatform.Event last = last(events);
    assertThat(last.name()).as("last event of %s", names(events)).isEqualTo("run:complete");
    return last.payload();
  }

  private static void assertReason(JsonNode payload, String reason, String type, String message) {
    assertThat(payload.path("reason").asText()).as(payload.toString()).isEqualTo(reason);
    if (type == null) {
      assertThat(payload.path("error_type").isNull()).as(payload.toString()).isTrue();
    } else {
      assertThat(payload.path("error_type").asText()).as(payload.toString()).isEqualTo(type);
    }
    if (message != null) {
      assertThat(payload.path("error_message").asText()).as(payload.toString()).isEqualTo(message);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void simpleJobEventsInOrderWithUuidsAndMicrosecondTimestamps(Mode mode) throws Exception {
    String marker = "job-log-" + UUID.randomUUID();
    List<DevPlatform.Event> events = run(mode, oneJob(
        "export default [s => { console.log('" + marker + "'); console.log(); return { data: { answer: 42 } }; }];"));

    List<String> protocol = names(events).stream().filter(n -> !n.contains("log")).toList();
    assertThat(protocol).containsExactly("run:start", "step:start", "step:complete", "run:complete");
    JsonNode start = first(events, "run:start").payload();
    JsonNode stepStart = first(events, "step:start").payload();
    JsonNode stepComplete = first(events, "step:complete").payload();
    JsonNode runComplete = complete(events);
    for (JsonNode p : List.of(start, stepStart, stepComplete, runComplete)) {
      assertThat(p.path("timestamp").asText()).matches("[0-9]{16}");
    }
    assertThat(start.path("versions").path("node").asText()).isNotEmpty();
    assertThat(stepStart.path("step_id").asText()).matches(UUID_PATTERN);
    assertThat(stepStart.path("job_id").asText()).isEqualTo("job");
    assertThat(stepComplete.path("step_id").asText()).isEqualTo(stepStart.path("step_id").asText());
    assertThat(stepComplete.path("output_dataclip_id").asText()).matches(UUID_PATTERN);
    assertThat(DevPlatform.JSON.readTree(stepComplete.path("output_dataclip").asText()))
        .isEqualTo(DevPlatform.JSON.readTree("{\"data\":{\"answer\":42}}"));
    assertReason(stepComplete, "success", null, null);
    assertThat(stepComplete.path("error_type").isNull()).isTrue();
    assertThat(stepComplete.has("mem")).isTrue();
    assertThat(stepComplete.has("duration")).isTrue();

    assertThat(runComplete.path("final_state")).isEqualTo(DevPlatform.JSON.readTree("{\"data\":{\"answer\":42}}"));
    assertThat(runComplete.path("final_dataclip_id").asText()).isEqualTo(stepComplete.path("output_dataclip_id").asText());
    assertThat(runComplete.path("error_message").isNull()).isTrue();

    List<JsonNode> jobLogs = logs(events, l -> "JOB".equals(l.path("source").asText()));
    assertThat(jobLogs).hasSize(1); // the empty console.log() sends nothing
    assertThat(text(jobLogs.get(0))).isEqualTo(marker);
    assertThat(jobLogs.get(0).path("step_id").asText()).isEqualTo(stepStart.path("step_id").asText());
    assertThat(jobLogs.get(0).path("timestamp").asText()).matches("[0-9]{16}");
    assertThat(logs(events, l -> text(l).equals("Run complete with status: success"))).hasSize(1);
    assertThat(logs(events, l -> text(l).startsWith("Payload limit: 10mb"))).hasSize(1);
    assertThat(logs(events, l -> text(l).startsWith("Versions:"))).hasSize(1);
    assertThat(platform(mode).worker.output()).doesNotContain(marker);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void kilnSubmitFollowsARunAndExitsWithItsReason(Mode mode) throws Exception {
    DevPlatform platform = platform(mode);
    Path dir = Files.createTempDirectory("kiln-submit");
    Files.writeString(dir.resolve("job.js"), "export default [s => { console.log('from submit'); return { data: { n: s.data.n + 1 } }; }];");
    Files.writeString(dir.resolve("workflow.json"), "{\"steps\":[{\"id\":\"add\",\"expression\":\"job.js\"}]}");
    Files.writeString(dir.resolve("input.json"), "{\"data\":{\"n\":41}}");
    CliRun ok = CliRun.of("submit", dir.resolve("workflow.json").toString(), "--input", dir.resolve("input.json").toString(),
        "--server", platform.server.baseUrl(), "--token", platform.server.apiToken(), "--follow");
    assertThat(ok.exitCode()).as(ok.out() + ok.err()).isZero();
    assertThat(ok.out()).contains("[JOB] from submit", "■ run success", "\"n\" : 42");

    Files.writeString(dir.resolve("job.js"), "export default [s => { throw new Error('no'); }];");
    CliRun failed = CliRun.of("submit", dir.resolve("workflow.json").toString(),
        "--server", platform.server.baseUrl(), "--token", platform.server.apiToken(), "--follow");
    assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void inputDataclipFromATriggerIsEchoedAndGetsData(Mode mode) throws Exception {
    ObjectNode submission = oneJob("export default [s => s];");
    submission.set("input", DevPlatform.JSON.readTree("{\"data\":{\"x\":1},\"extra\":\"kept\"}"));
    List<DevPlatform.Event> events = run(mode, submission);
    JsonNode stepStart = first(events, "step:start").payload();
    assertThat(stepStart.path("input_dataclip_id").asText()).isNotEmpty();
    JsonNode stepComplete = first(events, "step:complete").payload();
    assertThat(DevPlatform.JSON.readTree(stepComplete.path("output_dataclip").asText()))
        .isEqualTo(DevPlatform.JSON.readTree("{\"data\":{\"x\":1},\"extra\":\"kept\"}"));
    assertReason(complete(events), "success", null, null);

    ObjectNode withoutData = oneJob("export default [s => s];");
    withoutData.set("input", DevPlatform.JSON.readTree("{\"other\":true}"));
    JsonNode finalState = complete(run(mode, withoutData)).path("final_state");
    assertThat(finalState.path("data").isObject()).as(finalState.toString()).isTrue();
    assertThat(finalState.path("other").asBoolean()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void credentialsAreFetchedAndAnUnknownOneIsAnException(Mode mode) throws Exception {
    ObjectNode known = oneJob("export default [s => ({ data: { user: s.configuration.user } })];");
    job(known, 0).put("credential_id", "c1");
    known.putObject("credentials").putObject("c1").put("user", "ada");
    JsonNode done = complete(run(mode, known));
    assertReason(done, "success", null, null);
    assertThat(done.path("final_state").path("data").path("user").asText()).isEqualTo("ada");
    assertThat(done.path("final_state").has("configuration")).isFalse();

    ObjectNode unknown = oneJob("export default [s => s];");
    job(unknown, 0).put("credential_id", "zzz");
    List<DevPlatform.Event> events = run(mode, unknown);
    assertThat(names(events)).doesNotContain("step:start");
    JsonNode failed = complete(events);
    assertReason(failed, "exception", "CredentialLoadError", null);
    assertThat(failed.path("error_message").asText()).startsWith("Failed to load credential zzz: [fetch:credential] ");
    assertThat(failed.has("final_state")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void processExitAndUncaughtAsyncErrorsCrashTheRunOnly(Mode mode) throws Exception {
    // Kiln's sandbox has no `process` (the reference lets a job exit its worker thread): still a crash
    List<DevPlatform.Event> exit = run(mode, oneJob("export default [s => { process.exit(3); return s; }];"));
    assertThat(complete(exit).path("reason").asText()).isEqualTo("crash");
    assertThat(first(exit, "step:complete").payload().path("reason").asText()).isEqualTo("crash");

    List<DevPlatform.Event> async = run(mode, oneJob(
        "export default [s => { setTimeout(() => { throw new Error('async boom'); }, 1);"
            + " return new Promise(resolve => setTimeout(() => resolve(s), 500)); }];"));
    assertThat(complete(async).path("reason").asText()).isEqualTo("crash");

    assertReason(complete(run(mode, oneJob("export default [s => ({ data: { after: true } })];"))), "success", null, null);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void memoryAndTimeLimitsKill(Mode mode) throws Exception {
    ObjectNode oom = oneJob("export default [s => { const keep = []; while (true) { keep.push({ n: Math.random(), s: 'x'.repeat(64) }); } }];");
    options(oom).put("run_memory_limit_mb", 100);
    List<DevPlatform.Event> oomEvents = run(mode, oom);
    assertReason(complete(oomEvents), "kill", "OOMError", "Run exceeded maximum memory usage");
    JsonNode synthesized = first(oomEvents, "step:complete").payload();
    assertReason(synthesized, "kill", "OOMError", "Run exceeded maximum memory usage");
    assertThat(synthesized.path("output_dataclip").asText()).isEqualTo("{}");
    assertThat(synthesized.has("mem")).isFalse();

    ObjectNode huge = oneJob("export default [async s => { const keep = []; while (true) {"
        + " keep.push(new Uint8Array(8 << 20).fill(1)); await new Promise(r => setTimeout(r, 1)); } }];");
    options(huge).put("run_memory_limit_mb", 100);
    assertReason(complete(run(mode, huge)), "kill", "OOMError", "Run exceeded maximum memory usage");

    ObjectNode slow = oneJob("export default [s => { while (true) {} }];");
    options(slow).put("run_timeout_ms", 3000);
    assertReason(complete(run(mode, slow)), "kill", "TimeoutError", "Workflow failed to return within 3000ms");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void payloadLimitZeroWithholdsDataclipsAndRedactsLogs(Mode mode) throws Exception {
    ObjectNode submission = oneJob("export default [s => { console.log('a log line'); return { data: 'aaaa' }; }];");
    options(submission).put("payload_limit_mb", 0);
    List<DevPlatform.Event> events = run(mode, submission);
    if (mode.quirks) {
      // lightning-mock refuses a step:complete without a dataclip (spec §8.4): the worker carries on
      assertThat(platform(mode).worker.output()).contains("output_dataclip and output_dataclip_id are required");
    } else {
      JsonNode stepComplete = first(events, "step:complete").payload();
      assertReason(stepComplete, "success", null, null);
      assertThat(stepComplete.path("output_dataclip_error").asText()).isEqualTo("DATACLIP_TOO_LARGE");
      assertThat(stepComplete.has("output_dataclip_id")).isFalse();
      assertThat(stepComplete.has("output_dataclip")).isFalse();
    }
    assertThat(logs(events, l -> "JOB".equals(l.path("source").asText())))
        .allSatisfy(l -> assertThat(text(l)).containsIgnoringCase("redacted"));
    assertThat(logs(events, l -> text(l).startsWith("Dataclip exceeds payload limit"))).hasSize(1);
    assertThat(complete(events).has("final_dataclip_id")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void jobLogLevelNoneSendsNoJobLogs(Mode mode) throws Exception {
    ObjectNode submission = oneJob("export default [s => { console.log('hidden'); return s; }];");
    options(submission).put("job_log_level", "none");
    List<DevPlatform.Event> events = run(mode, submission);
    assertThat(logs(events, l -> "JOB".equals(l.path("source").asText()))).isEmpty();
    assertThat(logs(events, l -> "R/T".equals(l.path("source").asText()))).isNotEmpty();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void userErrorsHaveTheReferenceReasons(Mode mode) throws Exception {
    JsonNode syntax = complete(run(mode, oneJob("export default [s => s +];")));
    assertReason(syntax, "crash", "CompileError", null);
    assertThat(syntax.path("error_message").asText()).contains("Unexpected token");

    List<DevPlatform.Event> typeError = run(mode, oneJob("export default [s => s.err.map(x => x)];"));
    JsonNode failed = complete(typeError);
    assertReason(failed, "fail", "RuntimeError", "TypeError: Cannot read properties of undefined (reading 'map')");
    assertThat(first(typeError, "step:complete").payload().path("reason").asText()).isEqualTo("fail");

    ObjectNode badStart = oneJob("export default [s => s];");
    LightningPlans.plan(badStart).put("starting_node_id", "y");
    badStart.set("input", DevPlatform.JSON.readTree("{\"data\":{}}"));
    JsonNode validation = complete(run(mode, badStart));
    assertReason(validation, "crash", "ValidationError", null);
    assertThat(validation.path("error_message").asText()).isEqualToIgnoringCase("could not find start job: y");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void unknownAdaptorVersionIsAnAutoinstallException(Mode mode) throws Exception {
    ObjectNode submission = oneJob("fn(s => s)");
    job(submission, 0).put("adaptor", "@openfn/language-worker-integration-tests@9.9.9");
    JsonNode done = complete(run(mode, submission));
    assertReason(done, "exception", "AutoinstallError", null);
    assertThat(done.path("error_message").asText()).startsWith("Error installing @openfn/language-worker-integration-tests@9.9.9");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void edgesBranchesAndReasonsFollowThePlan(Mode mode) throws Exception {
    ObjectNode branches = oneJob("export default [s => ({ data: { n: 1 } })];");
    addJob(branches, "job", "x", "export default [s => { s.data.x = true; return s; }];", "always", true);
    addJob(branches, "job", "y", "export default [s => { s.data.y = true; return s; }];", "always", true);
    List<DevPlatform.Event> events = run(mode, branches);
    List<DevPlatform.Event> completes = all(events, "step:complete");
    assertThat(completes).hasSize(3);
    String aOutput = completes.get(0).payload().path("output_dataclip_id").asText();
    assertThat(all(events, "step:start").subList(1, 3))
        .allSatisfy(e -> assertThat(e.payload().path("input_dataclip_id").asText()).isEqualTo(aOutput));
    JsonNode finalState = complete(events).path("final_state");
    assertThat(finalState.path("x").path("data").has("y")).as(finalState.toString()).isFalse();
    assertThat(finalState.path("y").path("data").has("x")).as(finalState.toString()).isFalse();
    assertThat(complete(events).has("final_dataclip_id")).isFalse();

    ObjectNode handled = oneJob("export default [s => { throw new Error('first failed'); }];");
    addJob(handled, "job", "recover", "export default [s => ({ data: { recovered: true } })];", "on_job_failure", true);
    addJob(handled, "job", "never", "export default [s => s];", "on_job_success", true);
    addJob(handled, "job", "disabled", "export default [s => s];", "always", false);
    List<DevPlatform.Event> handledEvents = run(mode, handled);
    assertThat(all(handledEvents, "step:start")).extracting(e -> e.payload().path("job_id").asText())
        .containsExactly("job", "recover");
    assertReason(complete(handledEvents), "success", null, null);

    ObjectNode unhandled = oneJob("export default [s => { throw new Error('nobody handles this'); }];");
    addJob(unhandled, "job", "next", "export default [s => s];", "on_job_success", true);
    JsonNode failed = complete(run(mode, unhandled));
    assertThat(failed.path("reason").asText()).isEqualTo("fail");
    assertThat(failed.path("error_message").asText()).contains("nobody handles this");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void languageCommonIsInstalledOnceAndUsable(Mode mode) throws Exception {
    ObjectNode submission = oneJob("fn(s => ({ data: { answer: 42 } }))");
    job(submission, 0).put("adaptor", "@openfn/language-common@latest");
    List<DevPlatform.Event> events = run(mode, submission);
    assertReason(complete(events), "success", null, null);
    assertThat(complete(events).path("final_state")).isEqualTo(DevPlatform.JSON.readTree("{\"data\":{\"answer\":42}}"));
    String version = first(events, "run:start").payload().path("versions").path("@openfn/language-common").path(0).asText();
    assertThat(version).matches("[0-9]+\\.[0-9]+\\.[0-9]+");
    String installed = "Installed @openfn/language-common@" + version + " ";
    long installs = installLines(mode, installed);
    assertThat(installs).isLessThanOrEqualTo(1); // the other mode's worker may have installed it already

    ObjectNode again = oneJob("fn(s => ({ data: { again: true } }))");
    job(again, 0).put("adaptor", "@openfn/language-common@latest");
    assertReason(complete(run(mode, again)), "success", null, null);
    assertThat(installLines(mode, installed)).isEqualTo(installs);
  }

  private static long installLines(Mode mode, String text) throws Exception {
    return platform(mode).worker.output().lines().filter(l -> l.contains(text)).count();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void localAdaptorsComeFromTheMonorepoAndKeepNoStateBetweenRuns(Mode mode) throws Exception {
    String marker = "adaptor-log-" + UUID.randomUUID();
    for (int i = 0; i < 2; i++) {
      ObjectNode submission = oneJob("countCalls();\nlogFromAdaptor('" + marker + "');\nfortyTwo();");
      job(submission, 0).put("adaptor", "@openfn/language-common@local");
      List<DevPlatform.Event> events = run(mode, submission);
      assertReason(complete(events), "success", null, null);
      assertThat(complete(events).path("final_state")).isEqualTo(DevPlatform.JSON.readTree("{\"data\":42,\"calls\":1}"));
      assertThat(logs(events, l -> text(l).equals(marker))).singleElement()
          .satisfies(l -> assertThat(l.path("source").asText()).isEqualTo("ADA"));
    }
    assertThat(platform(mode).worker.output()).doesNotContain(marker);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anAdaptorCallingProcessExitCrashesTheRunOnly(Mode mode) throws Exception {
    ObjectNode submission = oneJob("exit();");
    job(submission, 0).put("adaptor", "@openfn/language-exiter@local");
    // the reference's process variant of the message (its thread variant: "Worker thread exited with code: 1")
    assertReason(complete(run(mode, submission)), "crash", "ExitError", "Process exited with code: 1");
    assertReason(complete(run(mode, oneJob("export default [s => s];"))), "success", null, null);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void nonOpenfnAdaptorsAreRefused(Mode mode) throws Exception {
    ObjectNode submission = oneJob("fn(s => s)");
    job(submission, 0).put("adaptor", "lodash@latest");
    JsonNode done = complete(run(mode, submission));
    assertReason(done, "crash", "ImportError", "module blacklisted: lodash");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theCollectionsAdaptorIsInjectedAndTalksToTheDevServer(Mode mode) throws Exception {
    DevPlatform platform = platform(mode);
    String collection = "e2e-" + mode.name().toLowerCase(java.util.Locale.ROOT);
    platform.server.createCollection(collection);
    ObjectNode submission = oneJob("collections.set('" + collection + "', 'k1', { n: 1 });\n"
        + "collections.get('" + collection + "', 'k1');\n"
        + "fn(s => ({ data: { got: s.data } }));");
    job(submission, 0).put("adaptor", "@openfn/language-common@latest");
    List<DevPlatform.Event> events = run(mode, submission);
    JsonNode done = complete(events);
    assertReason(done, "success", null, null);
    assertThat(done.path("final_state").path("data").path("got").toString()).contains("\"n\":1");
    assertThat(first(events, "run:start").payload().path("versions").has("@openfn/language-collections")).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void specificAdaptorVersionsInstallConcurrently(Mode mode) throws Exception {
    DevPlatform platform = platform(mode);
    List<String> versions = List.of("1.7.7", "2.1.1", "3.2.3");
    List<String> runIds = new java.util.ArrayList<>();
    for (String version : versions) {
      ObjectNode submission = oneJob("fn(s => ({ data: { ok: true } }))");
      job(submission, 0).put("adaptor", "@openfn/language-common@" + version);
      runIds.add(platform.submit(submission));
    }
    for (int i = 0; i < versions.size(); i++) {
      List<DevPlatform.Event> events = platform.events(runIds.get(i), RUN_TIMEOUT);
      assertReason(complete(events), "success", null, null);
      assertThat(first(events, "run:start").payload().path("versions").path("@openfn/language-common").path(0).asText())
          .isEqualTo(versions.get(i));
    }
  }
}
