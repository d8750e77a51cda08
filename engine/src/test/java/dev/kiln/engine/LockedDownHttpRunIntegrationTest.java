package dev.kiln.engine;

import static dev.kiln.engine.RecordingListener.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Legitimate work under the locked-down profile ({@link TestPlans#supervisor()} is locked down
 * too): the real language-http; an adaptor in the repo (ESM entry importing a
 * CommonJS dependency of its own, as real adaptors do) makes HTTP calls with {@code fetch} and
 * {@code node:http} to a server, with the step's credentials, and the job is file-free.
 */
@Tag("integration")
@Timeout(120)
class LockedDownHttpRunIntegrationTest {
  @TempDir Path dir;

  /** A loopback server answering {@code /patients} with two patients; records Authorization headers. */
  private static HttpServer patientsServer(List<String> authorizations) throws java.io.IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/patients", exchange -> {
      authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
      byte[] body = "{\"patients\":[{\"id\":1},{\"id\":2}]}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }

  /** The real {@code @openfn/language-http} from npm, in the shared test repo, locked down. */
  @Test
  void theRealHttpAdaptorWorksLockedDown() throws Exception {
    List<String> authorizations = new CopyOnWriteArrayList<>();
    HttpServer server = patientsServer(authorizations);
    try {
      RecordingListener listener = new RecordingListener();
      var plan = TestPlans.oneStep("fetch patients", "get('/patients');", "@openfn/language-http@7.2.10");
      ((com.fasterxml.jackson.databind.node.ObjectNode) plan.path("workflow").path("steps").get(0))
          .put("configuration", "cred");
      String baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
      RunOutcome outcome = TestPlans.supervisor().run(new RunRequest(plan, null, null, null, id -> json(
          "{\"baseUrl\":\"" + baseUrl + "\",\"username\":\"clinic\",\"password\":\"s3cret-pw\"}")), listener);

      assertThat(outcome.failure()).as(listener.logText()).isNull();
      assertThat(json(outcome.finalState()).path("data").path("patients")).hasSize(2);
      assertThat(authorizations).containsExactly("Basic Y2xpbmljOnMzY3JldC1wdw==");
      assertThat(listener.logText()).doesNotContain("s3cret-pw");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anHttpAdaptorWorksLockedDown() throws Exception {
    List<String> authorizations = new CopyOnWriteArrayList<>();
    HttpServer server = patientsServer(authorizations);
    try {
      Path repo = dir.resolve("repo");
      TestPlans.installAdaptor(repo, "loopback", "\"type\":\"module\",\"exports\":{\".\":{\"import\":\"./index.js\"}}", """
          import http from 'node:http';
          import auth from 'basic-auth-header';
          export const get = (path) => async (state) => {
            const { baseUrl, username, password } = state.configuration;
            const response = await fetch(baseUrl + path, { headers: { Authorization: auth(username, password) } });
            const viaFetch = await response.json();
            const viaHttp = await new Promise((resolve, reject) => {
              http.get(baseUrl + path, { headers: { Authorization: auth(username, password) } }, (res) => {
                let text = '';
                res.on('data', (d) => { text += d; });
                res.on('end', () => resolve(JSON.parse(text)));
              }).on('error', reject);
            });
            return { ...state, data: { viaFetch, viaHttp } };
          };
          """);
      Path dependency = Files.createDirectories(repo.resolve("node_modules/basic-auth-header"));
      Files.writeString(dependency.resolve("package.json"), "{\"name\":\"basic-auth-header\",\"version\":\"1.0.0\"}");
      Files.writeString(dependency.resolve("index.js"),
          "module.exports = (u, p) => 'Basic ' + Buffer.from(u + ':' + p).toString('base64');\n");

      RunProcessLauncher launcher = RunProcessLauncher.ofCurrentJvm().lockedDown(RunProcessSandbox.lockedDown(repo, null));
      try (RunSupervisor supervisor = new RunSupervisor(repo, new PlanAutoinstaller(spec -> "1.0.0"), launcher, false)) {
        RecordingListener listener = new RecordingListener();
        var plan = TestPlans.oneStep("fetch patients", "get('/patients');", "@openfn/language-loopback@1.0.0");
        ((com.fasterxml.jackson.databind.node.ObjectNode) plan.path("workflow").path("steps").get(0))
            .put("configuration", "cred");
        String baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        RunOutcome outcome = supervisor.run(new RunRequest(plan, null, null, null, id -> json(
            "{\"baseUrl\":\"" + baseUrl + "\",\"username\":\"clinic\",\"password\":\"s3cret-pw\"}")), listener);

        assertThat(outcome.failure()).as(listener.logText()).isNull();
        JsonNode data = json(outcome.finalState()).path("data");
        assertThat(data.path("viaFetch").path("patients")).hasSize(2);
        assertThat(data.path("viaHttp").path("patients")).hasSize(2);
        assertThat(authorizations).hasSize(2).allMatch(a -> a.equals("Basic Y2xpbmljOnMzY3JldC1wdw=="));
        assertThat(json(outcome.finalState()).has("configuration")).isFalse();
      }
    } finally {
      server.stop(0);
    }
  }
}
