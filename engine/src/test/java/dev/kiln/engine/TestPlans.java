package dev.kiln.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Plans and the shared supervisor for the integration tests (one adaptor repo for all tests). */
final class TestPlans {
  static final String COMMON = "@openfn/language-common@3.3.4";
  /** Installs are shared between test runs and modules: the first one downloads. */
  static final Path REPO = Path.of(System.getProperty("user.home"), ".cache", "kiln", "test-repo");
  private static final AtomicInteger IDS = new AtomicInteger();
  private static RunSupervisor supervisor;

  private TestPlans() {}

  static synchronized RunSupervisor supervisor() {
    if (supervisor == null) {
      supervisor = RunSupervisor.create(REPO, false);
    }
    return supervisor;
  }

  /**
   * A one-step plan without an adaptor: the job is an ES module ({@code export default [ops]}),
   * so what is tested is the engine and the run process, not an adaptor.
   */
  static ObjectNode oneStep(String expression) {
    return oneStep("job", expression, null);
  }

  static ObjectNode oneStep(String stepName, String expression, String adaptor) {
    ObjectNode plan = RunSupervisor.JSON.createObjectNode();
    plan.put("id", "test-" + IDS.incrementAndGet());
    ObjectNode step = plan.putObject("workflow").putArray("steps").addObject();
    step.put("id", "step-1");
    step.put("name", stepName);
    if (adaptor != null) {
      step.putArray("adaptors").add(adaptor);
    }
    step.put("expression", expression);
    plan.putObject("options");
    return plan;
  }

  /**
   * Writes an adaptor {@code @openfn/language-<name>@1.0.0} into {@code repo} as the installer lays
   * it out: the repo's alias dependency (replacing the repo's package.json) and the package's
   * folder with its package.json ({@code packageFields}: further members, e.g.
   * {@code "main":"index.js"}, or empty) and {@code index.js}. Returns the package's folder.
   */
  static Path installAdaptor(Path repo, String name, String packageFields, String indexJs) throws IOException {
    String alias = "@openfn/language-" + name + "_1.0.0";
    Files.writeString(Files.createDirectories(repo).resolve("package.json"),
        "{\"dependencies\":{\"" + alias + "\":\"npm:@openfn/language-" + name + "@1.0.0\"}}");
    Path folder = Files.createDirectories(repo.resolve("node_modules").resolve(alias));
    Files.writeString(folder.resolve("package.json"), "{\"name\":\"@openfn/language-" + name
        + "\",\"version\":\"1.0.0\"" + (packageFields.isEmpty() ? "" : "," + packageFields) + "}");
    Files.writeString(folder.resolve("index.js"), indexJs);
    return folder;
  }

  /** Runs a plan and records its events. */
  static RunOutcome run(ObjectNode plan, String input, RunLimits limits, RecordingListener listener) {
    return supervisor().run(RunRequest.of(plan, input).withLimits(limits), listener);
  }

  /** A JavaScript literal of about {@code mb} megabytes: a mapping object of small entries. */
  static String mappingJob(int mb) {
    int entries = mb * 1024 * 1024 / 64;
    StringBuilder js = new StringBuilder(mb * 1024 * 1024 + 200);
    js.append("const mapping = {\n");
    for (int i = 0; i < entries; i++) {
      js.append("  \"c").append(i).append("\": { \"code\": \"C-").append(i)
          .append("\", \"label\": \"Label ").append(i).append("\" },\n");
    }
    js.append("};\nexport default [state => ({ ...state, data: { size: Object.keys(mapping).length,"
        + " c7: mapping.c7.code } })];\n");
    return js.toString();
  }
}
