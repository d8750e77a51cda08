package dev.kiln.devserver;

import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A Lightning-compatible server for local use and tests: the worker socket, the claim queue,
 * run channels, a SQLite store, the janitor, a REST API, Lightning's collections API and a run
 * viewer page. {@code DevServer.start(config)} returns a running server; {@link #close()} stops
 * it. Runs, keys, the worker secret and the API token survive a restart on the same database.
 */
public final class DevServer implements AutoCloseable {
  private final DevServerConfig config;
  private final Database database;
  private final ScheduledExecutorService scheduler;
  private final Javalin app;
  private final WorkerSocket workerSocket;
  private final CollectionStore collections;
  private final Janitor janitor;
  private final RunEventBus bus;
  private final RunTokens runTokens;
  private final String workerSecret;
  private final String apiToken;

  private DevServer(DevServerConfig config) {
    this.config = config;
    this.database = Database.open(config.database());
    this.workerSecret = config.workerSecret() != null ? config.workerSecret()
        : database.setting("worker_secret", DevServer::randomSecret);
    this.apiToken = config.apiToken() != null ? config.apiToken()
        : database.setting("api_token", DevServer::randomSecret);
    this.runTokens = RunTokens.load(database);
    this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "kiln-devserver-scheduler");
      thread.setDaemon(true);
      return thread;
    });
    RunStore runs = new RunStore(database, config);
    this.bus = new RunEventBus();
    this.collections = new CollectionStore(database);
    RunChannel runChannel = new RunChannel(database, runTokens, config, bus::publish);
    this.workerSocket = new WorkerSocket(config, workerSecret, runs, runChannel, runTokens, scheduler);
    this.janitor = new Janitor(runs, config.gracePeriod(), bus::publish);
    RestApi rest = new RestApi(apiToken, runs, bus, collections, workerSocket::workAvailable, scheduler);
    String viewer = resource("viewer.html");
    this.app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.http.maxRequestSize = 64L * 1024 * 1024;
      cfg.jetty.modifyWebSocketServletFactory(factory -> {
        factory.setMaxTextMessageSize(11_000_000);
        factory.setIdleTimeout(Duration.ofSeconds(60));
      });
    });
    app.get("/", ctx -> ctx.html(viewer));
    workerSocket.register(app);
    rest.register(app);
    new CollectionsApi(collections, runTokens, rest, config.projectId()).register(app);
  }

  /** Starts a server; the returned object is running and listening. */
  public static DevServer start(DevServerConfig config) {
    DevServer server = new DevServer(config);
    try {
      server.app.start(config.host(), config.port());
    } catch (RuntimeException e) {
      server.scheduler.shutdownNow();
      server.bus.close();
      server.database.close();
      throw e;
    }
    server.janitor.schedule(server.scheduler, config.janitorInterval());
    return server;
  }

  public int port() {
    return app.port();
  }

  /** {@code http://<host>:<port>}. */
  public String baseUrl() {
    return "http://" + config.host() + ":" + port();
  }

  /** The worker's {@code --lightning} value: {@code ws://<host>:<port>/worker}. */
  public String workerEndpoint() {
    return "ws://" + config.host() + ":" + port() + "/worker";
  }

  /** The worker's {@code --collections-url} value. */
  public String collectionsUrl() {
    return baseUrl() + "/collections";
  }

  /** The run viewer page, with the API token in its address. */
  public String viewerUrl() {
    return baseUrl() + "/?token=" + apiToken;
  }

  public String workerSecret() {
    return workerSecret;
  }

  public String apiToken() {
    return apiToken;
  }

  /** Base64 of the SPKI PEM that verifies run tokens: the worker's {@code --lightning-public-key}. */
  public String runPublicKeyBase64() {
    return runTokens.publicKeyBase64();
  }

  public String projectId() {
    return config.projectId();
  }

  /** Creates a collection (Lightning needs collections to exist before jobs use them). */
  public void createCollection(String name) {
    collections.create(name);
  }

  /** Drops every worker socket abruptly (close code 1011, connection cut without waiting for the worker). */
  public void dropWorkerConnections() {
    workerSocket.dropAll();
  }

  /** Test aid: faults to inject on the worker sockets (malformed frames, odd or late replies). */
  public SocketFaults socketFaults() {
    return workerSocket.faults();
  }

  /** How many worker sockets are open. */
  public int workerConnections() {
    return workerSocket.connectionCount();
  }

  /** Runs the janitor once now; returns the ids it marked lost. */
  public List<String> sweepLostRuns() {
    return janitor.sweep();
  }

  @Override
  public void close() {
    app.stop();
    scheduler.shutdownNow();
    bus.close();
    database.close();
  }

  private static String randomSecret() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String resource(String name) {
    try (InputStream in = DevServer.class.getResourceAsStream("viewer/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource viewer/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code kiln-devserver [--host H] [--port 4000] [--db kiln-dev.db] [--mock-quirks] [--secret S]
   * [--api-token T] [--max-run-duration-seconds 300] [--grace-seconds 10]}; {@code WORKER_SECRET}
   * is read when {@code --secret} is absent. Prints the addresses and secrets, runs until killed.
   */
  public static void main(String[] args) throws InterruptedException {
    System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.io.javalin", "warn");
    DevServerConfig config;
    try {
      config = DevServerConfig.fromArgs(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    DevServer server = start(config);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "kiln-devserver-shutdown"));
    System.out.println(server.describe());
    Thread.currentThread().join();
  }

  /** What a person needs to connect a worker and use the API. */
  public String describe() {
    return String.join("\n",
        "Kiln dev server" + (config.mockQuirks() ? " (lightning-mock quirks)" : "") + " on " + baseUrl(),
        "  database:            " + config.database().toAbsolutePath(),
        "  run viewer:          " + viewerUrl(),
        "  worker endpoint:     " + workerEndpoint() + "   (kiln worker --lightning ...)",
        "  worker secret:       " + workerSecret + "   (WORKER_SECRET)",
        "  run token public key " + runPublicKeyBase64() + "   (WORKER_LIGHTNING_PUBLIC_KEY)",
        "  collections URL:     " + collectionsUrl(),
        "  API token:           " + apiToken + "   (Authorization: Bearer ...)");
  }
}
