package dev.kiln.cli;

import dev.kiln.runtime.PlanFileReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kiln submit}: enqueues a run on a {@code kiln dev} server ({@code POST /api/runs}) and,
 * with {@code --follow}, streams its events ({@code GET /api/runs/<id>/events}, SSE) to the
 * terminal until it ends. Exit code: 0 success, 1 fail, 2 crash, 3 kill, 4 exception, 5 lost or
 * cancelled, 6 the server could not be reached or refused the run; without {@code --follow}, 0
 * once the run is queued.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = {"Submit a workflow to a kiln dev server (or any Kiln dev server) and follow its run."})
public final class SubmitCommand implements Callable<Integer> {
  static final int EXIT_UNREACHABLE = 6;
  static final Map<String, Integer> EXIT_CODES = Map.of(
      "success", 0, "fail", 1, "crash", 2, "kill", 3, "exception", 4, "lost", 5, "cancel", 5);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", paramLabel = "<workflow>",
      description = "A workflow (.json/.yaml: the CLI format, paths resolved) or a Lightning plan (jobs/triggers/edges).")
  Path workflow;

  @Option(names = {"-i", "--input"}, paramLabel = "<state.json>", description = "The input dataclip.")
  Path input;

  @Option(names = "--credentials", paramLabel = "<map.json>", description = "Credential id → configuration object.")
  Path credentials;

  @Option(names = "--server", defaultValue = "${env:KILN_SERVER:-http://127.0.0.1:4000}",
      description = "The dev server (default: $KILN_SERVER, else ${DEFAULT-VALUE}).")
  String server;

  @Option(names = "--token", defaultValue = "${env:KILN_API_TOKEN}", description = "API token (default: $KILN_API_TOKEN; kiln dev prints it).")
  String token;

  @Option(names = {"-f", "--follow"}, description = "Stream the run's logs and status until it ends.")
  boolean follow;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  private final HttpClient http = HttpClient.newHttpClient();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (token == null || token.isBlank()) {
      err.println("kiln submit: no API token: pass --token or set KILN_API_TOKEN (kiln dev prints it)");
      return EXIT_UNREACHABLE;
    }
    ObjectNode body = JSON.createObjectNode();
    body.set("plan", readWorkflow(workflow));
    if (input != null) {
      body.set("input", JSON.readTree(input.toFile()));
    }
    if (credentials != null) {
      body.set("credentials", JSON.readTree(credentials.toFile()));
    }
    HttpResponse<String> created;
    try {
      created = http.send(request("/api/runs").header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      err.println("kiln submit: cannot reach " + server + " (" + e.getMessage() + "): is kiln dev running?");
      return EXIT_UNREACHABLE;
    }
    if (created.statusCode() / 100 != 2) {
      err.println("kiln submit: the server refused the run (HTTP " + created.statusCode() + "): " + created.body());
      return EXIT_UNREACHABLE;
    }
    String runId = JSON.readTree(created.body()).path("id").asText();
    out.println("run " + runId + " queued: " + server + "/api/runs/" + runId);
    return follow ? follow(runId, out) : 0;
  }

  /** A Lightning plan is sent as it is; a CLI workflow with its expression/configuration/state files read in. */
  static JsonNode readWorkflow(Path file) throws IOException {
    JsonNode root = JSON.readTree(Files.readString(file));
    if (root != null && root.has("jobs") && (root.has("edges") || root.has("triggers"))) {
      return root;
    }
    return PlanFileReader.read(file);
  }

  private int follow(String runId, PrintWriter out) throws IOException, InterruptedException {
    HttpResponse<Stream<String>> stream = http.send(request("/api/runs/" + runId + "/events")
        .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
    String event = null;
    Iterator<String> lines = stream.body().iterator();
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.startsWith("event:")) {
        event = line.substring(6).trim();
      } else if (line.startsWith("data:") && event != null) {
        JsonNode payload = JSON.readTree(line.substring(5).trim());
        Integer code = print(event, payload, out);
        if (code != null) {
          return code;
        }
      }
    }
    out.println("the event stream ended before the run did: see " + server + "/api/runs/" + runId);
    return EXIT_UNREACHABLE;
  }

  /** Prints one event; the exit code when it is the run's last. */
  static Integer print(String event, JsonNode payload, PrintWriter out) {
    switch (event) {
      case "run:start" -> out.println("▶ run started");
      case "step:start" -> out.println("▸ step " + payload.path("job_id").asText() + " started");
      case "run:log" -> printLog(payload, out);
      case "run:batch_logs" -> payload.path("logs").forEach(log -> printLog(log, out));
      case "step:complete" -> out.println((payload.path("reason").asText().equals("success") ? "✔" : "✘")
          + " step " + payload.path("job_id").asText() + ": " + describe(payload));
      case "run:complete", "run:lost" -> {
        String reason = "run:lost".equals(event) ? "lost" : payload.path("reason").asText();
        out.println("■ run " + describe(((ObjectNode) payload.deepCopy()).put("reason", reason)));
        if (payload.hasNonNull("final_state")) {
          out.println(payload.get("final_state").toPrettyString());
        }
        return EXIT_CODES.getOrDefault(reason, 4);
      }
      default -> { }
    }
    return null;
  }

  private static String describe(JsonNode payload) {
    String text = payload.path("reason").asText();
    if (payload.hasNonNull("error_type")) {
      text += " (" + payload.get("error_type").asText() + ": " + payload.path("error_message").asText() + ")";
    }
    return text;
  }

  private static void printLog(JsonNode log, PrintWriter out) {
    StringBuilder line = new StringBuilder("[").append(log.path("source").asText()).append("] ");
    JsonNode message = log.path("message");
    for (JsonNode part : message.isArray() ? message : JSON.createArrayNode().add(message)) {
      line.append(part.isTextual() ? part.asText() : part.toString()).append(' ');
    }
    out.println(line.toString().stripTrailing());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(server.replaceAll("/+$", "") + path))
        .header("Authorization", "Bearer " + token);
  }
}
