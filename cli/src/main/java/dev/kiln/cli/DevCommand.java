package dev.kiln.cli;

import dev.kiln.devserver.DevServer;
import dev.kiln.devserver.DevServerConfig;
import dev.kiln.worker.WorkerService;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code kiln dev}: a local Lightning-compatible server and a worker connected to it, for trying
 * Kiln without Lightning. Prints the addresses, the API token and how to submit a run; stops
 * (the worker drains first) on Ctrl-C / SIGTERM.
 */
@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {"Start a local Lightning-compatible dev server and a worker connected to it.",
        "Submit runs with: kiln submit workflow.json --follow"})
public final class DevCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "4000", description = "Dev server port. Default: ${DEFAULT-VALUE}")
  int port;

  @Option(names = "--db", defaultValue = "kiln-dev.db", description = "SQLite file (kept across restarts). Default: ${DEFAULT-VALUE}")
  Path database;

  @Option(names = "--mock-quirks", description = "Behave like OpenFn's lightning-mock (chan_reply_<ref>, no heartbeat replies, ...).")
  boolean mockQuirks;

  @Option(names = "--worker-port", defaultValue = "2222", description = "The worker's HTTP port. Default: ${DEFAULT-VALUE}")
  int workerPort;

  @Option(names = "--capacity", defaultValue = "5", description = "Concurrent runs. Default: ${DEFAULT-VALUE}")
  int capacity;

  @Option(names = {"-d", "--repo-dir"}, description = "Adaptor repo (default: $OPENFN_REPO_DIR, else ~/.openfn/repo).")
  Path repoDir;

  @Option(names = "--log", defaultValue = "info", description = "Worker log level. Default: ${DEFAULT-VALUE}")
  String log;

  @Override
  public Integer call() throws Exception {
    // handlers first, so a signal during start-up still stops both cleanly
    CompletableFuture<Runnable> stopper = new CompletableFuture<>();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> Thread.ofPlatform().name("kiln-dev-stop").start(() -> stopper.join().run()));
    }
    DevServer server = DevServer.start(DevServerConfig.defaults().withPort(port).withDatabase(database)
        .withMockQuirks(mockQuirks));
    List<String> args = new ArrayList<>(List.of("--lightning", server.workerEndpoint(),
        "--secret", server.workerSecret(), "--lightning-public-key", server.runPublicKeyBase64(),
        "--collections-url", server.collectionsUrl(), "--port", String.valueOf(workerPort),
        "--capacity", String.valueOf(capacity), "--backoff", "0.5/5"));
    if (repoDir != null) {
      args.addAll(List.of("--repo-dir", repoDir.toString()));
    }
    WorkerCommand worker = new WorkerCommand();
    WorkerCommand.commandLine(worker).parseArgs(args.toArray(String[]::new));
    WorkerCommand.configureLogging(log);
    WorkerService service = WorkerService.start(worker.config());
    System.out.println(server.describe());
    System.out.println("Worker: http://127.0.0.1:" + service.port() + "/livez, capacity " + capacity);
    System.out.println();
    System.out.println("Submit a run and follow it:");
    System.out.println("  KILN_API_TOKEN=" + server.apiToken() + " ./kiln submit examples/hello/workflow.json"
        + " --server " + server.baseUrl() + " --follow");
    System.out.println("Stop with Ctrl-C.");
    stopper.complete(() -> {
      service.drain();
      server.close();
    });
    int code = service.awaitTermination();
    server.close();
    return code;
  }
}
