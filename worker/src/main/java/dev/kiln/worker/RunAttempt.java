package dev.kiln.worker;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.engine.CredentialResolver;
import dev.kiln.engine.RunOutcome;
import dev.kiln.engine.RunRequest;
import dev.kiln.engine.RunSupervisor;
import dev.kiln.lightning.phoenix.Reply;
import dev.kiln.lightning.plan.RunOptions;
import dev.kiln.lightning.protocol.Events;
import dev.kiln.lightning.protocol.LightningJson;
import dev.kiln.runtime.protocol.Body;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One claimed run, from joining its channel to leaving it (spec §3): join {@code run:<id>} with the
 * run token, {@code fetch:plan}, convert it, fetch the input dataclip and every credential in
 * parallel, run the plan through the engine and send its events in order. Whatever fails, the run
 * ends with a {@code run:complete} once its plan is known, the channel is left and the slot freed
 * (the reference leaks the slot when {@code fetch:plan} fails).
 */
final class RunAttempt implements Runnable {
  private static final Logger LOG = Logger.getLogger(RunAttempt.class.getName());

  /** A Lightning plan made ready for the engine. */
  record PreparedRun(ObjectNode plan, String dataclipId, RunSettings options) {}

  /** Converts a {@code fetch:plan} reply (spec §4.2, with collections wiring for this run's token). */
  @FunctionalInterface
  interface PlanPreparer {
    PreparedRun prepare(JsonNode lightningPlan, String runToken);
  }

  private final String runId;
  private final String runToken;
  private final RunTopic topic;
  private final RunSupervisor supervisor;
  private final PlanPreparer preparer;
  private final WorkerConfig config;
  private final Map<String, String> versions;
  private final Runnable onFinish;
  private final WorkerMetrics metrics;
  private final long claimedAtNanos = System.nanoTime();
  private final Instant claimedAt = Instant.now();
  private RunJournal journal;

  RunAttempt(String runId, String runToken, RunTopic topic, RunSupervisor supervisor, PlanPreparer preparer,
      WorkerConfig config, Map<String, String> versions, WorkerMetrics metrics, Runnable onFinish) {
    this.metrics = metrics;
    this.runId = runId;
    this.runToken = runToken;
    this.topic = topic;
    this.supervisor = supervisor;
    this.preparer = preparer;
    this.config = config;
    this.versions = versions;
    this.onFinish = onFinish;
  }

  @Override
  public void run() {
    try {
      execute();
    } catch (RuntimeException | Error e) {
      LOG.log(Level.SEVERE, "run " + runId + " failed in the worker", e);
    } finally {
      if (journal != null) {
        journal.close();
      }
      topic.leave();
      onFinish.run();
    }
  }

  private void execute() {
    // journalled from the claim on: a restarted worker closes the run even if this one dies before run:start
    journal = RunJournal.create(config.journalDir(), runId, runToken);
    Reply joined = topic.join().join();
    if (!joined.isOk()) {
      LOG.warning("run " + runId + ": could not join its channel: " + joined.describe("phx_join")
          + "; Lightning will give the run to a worker again");
      journal.delete();
      return;
    }
    Reply planReply = topic.push(Events.FETCH_PLAN, JsonNodeFactory.instance.objectNode()).join();
    if (!planReply.isOk()) {
      LOG.warning("run " + runId + ": " + planReply.describe(Events.FETCH_PLAN) + "; the run is left to Lightning");
      journal.delete();
      return;
    }
    EventOutbox outbox = new EventOutbox(runId, (event, payload) -> metrics.eventInFlight(topic.push(event, payload)),
        journal, config.batchLogs(), config.batchIntervalMs(), config.batchLimit(), metrics::eventResent);
    Consumer<OutgoingEvent> events = metrics.observeRun(claimedAtNanos, outbox::accept);
    PreparedRun prepared;
    try {
      prepared = preparer.prepare(planReply.response(), runToken);
    } catch (RuntimeException e) {
      RunSettings defaults = RunSettings.resolve(RunOptions.NONE, config);
      new RunEventTranslator(runId, JsonNodeFactory.instance.objectNode(), null, defaults, versions, events)
          .failRun(new ExitReason("crash", "ValidationError", "The plan Lightning sent cannot be run: " + e.getMessage()));
      awaitDelivery(outbox);
      return;
    }
    RunSettings options = withinDeadline(prepared.options());
    RunEventTranslator translator = new RunEventTranslator(
        runId, prepared.plan(), prepared.dataclipId(), options, versions, events);

    CompletableFuture<Reply> dataclip = prepared.dataclipId() == null ? null
        : topic.push(Events.FETCH_DATACLIP, idPayload(prepared.dataclipId()));
    Map<String, CompletableFuture<Reply>> credentials = fetchCredentials(prepared.plan());

    Body input = null;
    if (dataclip != null) {
      Reply reply = dataclip.join();
      Body body = null;
      String problem;
      if (!reply.isOk()) {
        problem = reply.describe(Events.FETCH_DATACLIP);
      } else {
        try {
          body = inputBody(reply);
          problem = jsonProblem(body);
        } catch (IOException e) {
          problem = "cannot keep the dataclip in " + journal.bodyDir() + ": " + e.getMessage();
        }
      }
      if (problem != null) {
        translator.failRun(new ExitReason("exception", "DataClipError",
            "Failed to load dataclip " + prepared.dataclipId() + ": " + problem));
        awaitDelivery(outbox);
        return;
      }
      input = body.file() == null && "null".equals(body.text().strip()) ? null : body;
    }
    CredentialResolver resolver = id -> {
      Reply reply = credentials.get(id).join();
      if (!reply.isOk()) {
        throw new IllegalStateException(reply.describe(Events.FETCH_CREDENTIAL));
      }
      return reply.response() == null || reply.response().isNull()
          ? JsonNodeFactory.instance.objectNode() : reply.response();
    };
    RunOutcome outcome = supervisor.run(
        new RunRequest(prepared.plan(), input, options.limits(), options.runtimeOptions(), resolver, journal.bodyDir()),
        translator);
    metrics.runProcessPeakMemory(outcome.peakRssMb());
    translator.failRun(new ExitReason("exception", "ExecutionError", "The engine ended the run without an outcome"));
    awaitDelivery(outbox);
  }

  /** Every distinct string {@code configuration} of the plan, fetched at once (spec §3.2). */
  private Map<String, CompletableFuture<Reply>> fetchCredentials(ObjectNode plan) {
    Map<String, CompletableFuture<Reply>> fetches = new LinkedHashMap<>();
    for (JsonNode step : plan.path("workflow").path("steps")) {
      JsonNode configuration = step.get("configuration");
      if (configuration != null && configuration.isTextual()) {
        fetches.computeIfAbsent(configuration.asText(),
            id -> topic.push(Events.FETCH_CREDENTIAL, idPayload(id)));
      }
    }
    return fetches;
  }

  /** The run's timeout, cut so that the run ends early enough to be reported before Lightning's deadline. */
  private RunSettings withinDeadline(RunSettings options) {
    RunDeadline deadline = RunDeadline.of(runToken, claimedAt, options.runTimeoutMs());
    long timeout = deadline.engineTimeoutMs(options.runTimeoutMs(), Instant.now());
    if (timeout < options.runTimeoutMs()) {
      LOG.info("run " + runId + ": timeout cut from " + options.runTimeoutMs() + " to " + timeout
          + " ms to report the run before Lightning's deadline (" + deadline.at() + ")");
    }
    return options.withRunTimeoutMs(timeout);
  }

  private void awaitDelivery(EventOutbox outbox) {
    if (!outbox.completed().join()) {
      LOG.severe("run " + runId + ": Lightning did not accept run:complete");
    }
  }

  private static ObjectNode idPayload(String id) {
    return JsonNodeFactory.instance.objectNode().put("id", id);
  }

  /**
   * The input dataclip: a large binary reply is already a file (the socket wrote it as it came),
   * moved into the run's body folder so that it goes with the run; the others are in memory.
   */
  private Body inputBody(Reply reply) throws IOException {
    if (reply.bodyFile() == null) {
      return Body.ofText(reply.responseText());
    }
    Files.createDirectories(journal.bodyDir());
    Path file = Files.move(reply.bodyFile(), journal.bodyDir().resolve("input-" + reply.bodyFile().getFileName()),
        StandardCopyOption.REPLACE_EXISTING);
    return Body.inFile(file);
  }

  /** Null when the body is one JSON value, else why not; read as a stream of tokens, never held. */
  private static String jsonProblem(Body body) {
    try (InputStream in = body.open(); JsonParser parser = LightningJson.mapper().createParser(in)) {
      if (parser.nextToken() == null) {
        return "the dataclip is empty";
      }
      parser.skipChildren();
      return null;
    } catch (IOException e) {
      return "the dataclip is not JSON: " + e.getMessage();
    }
  }
}
