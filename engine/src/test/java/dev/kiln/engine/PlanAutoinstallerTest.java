package dev.kiln.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry is the edge: these tests install through a recording function. */
class PlanAutoinstallerTest {
  private final List<String> installed = new ArrayList<>();
  private final RecordingListener listener = new RecordingListener();

  private RunFailure install(ObjectNode plan, PlanAutoinstaller.Install install) {
    return new PlanAutoinstaller(install).install(plan, new RunEmitter(listener, "p"));
  }

  @Test
  void pinsEveryStepToTheInstalledVersionAndInstallsEachSpecifierOnce() {
    ObjectNode plan = (ObjectNode) RecordingListener.json("{\"steps\":["
        + "{\"id\":\"a\",\"adaptors\":[\"@openfn/language-common\"]},"
        + "{\"id\":\"b\",\"adaptor\":\"@openfn/language-common\"},"
        + "{\"id\":\"c\",\"adaptors\":[\"@openfn/language-http@^6\", \"other-package@1.0.0\"]}]}");
    RunFailure failure = install(plan, spec -> {
      installed.add(spec);
      return spec.contains("http") ? "6.5.0" : "3.3.4";
    });

    assertThat(failure).isNull();
    assertThat(installed).containsExactly("@openfn/language-common@latest", "@openfn/language-http@^6");
    assertThat(plan.toString())
        .contains("\"adaptors\":[\"@openfn/language-common@3.3.4\"]")
        .contains("\"adaptor\":\"@openfn/language-common@3.3.4\"")
        .contains("[\"@openfn/language-http@6.5.0\",\"other-package@1.0.0\"]");
    assertThat(listener.ofType(RunEvent.AUTOINSTALL_COMPLETE)).hasSize(2);
    assertThat(listener.logText()).contains("WARNING: autoinstall skipping blacklisted module other-package");
  }

  @Test
  void isToldOfEveryInstalledAdaptorVersionAndItsFailuresAreNotTheRuns() {
    ObjectNode plan = (ObjectNode) RecordingListener.json("{\"steps\":["
        + "{\"id\":\"a\",\"adaptors\":[\"@openfn/language-common\", \"@openfn/language-http@local\"]},"
        + "{\"id\":\"b\",\"adaptor\":\"@openfn/language-http@7\"}]}");
    List<String> told = new ArrayList<>();
    RunFailure failure = new PlanAutoinstaller(spec -> spec.contains("http") ? "7.2.10" : "3.3.4", (name, version) -> {
      told.add(name + "@" + version);
      throw new IllegalStateException("indexing is broken");
    }).install(plan, new RunEmitter(listener, "p"));

    assertThat(failure).isNull();
    assertThat(told).containsExactly("@openfn/language-common@3.3.4", "@openfn/language-http@7.2.10");
    assertThat(listener.ofType(RunEvent.AUTOINSTALL_COMPLETE)).hasSize(2);
  }

  @Test
  void aFailedInstallIsAnAutoinstallError() {
    ObjectNode plan = (ObjectNode) RecordingListener.json(
        "{\"steps\":[{\"adaptors\":[\"@openfn/language-common@99.0.0\"]}]}");
    RunFailure failure = install(plan, spec -> {
      throw new IllegalStateException("no version 99.0.0");
    });

    assertThat(failure.type()).isEqualTo("AutoinstallError");
    assertThat(failure.severity()).isEqualTo("exception");
    assertThat(failure.message()).isEqualTo("Error installing @openfn/language-common@99.0.0: no version 99.0.0");
    assertThat(listener.ofType(RunEvent.AUTOINSTALL_ERROR).get(0).text("message")).isEqualTo("no version 99.0.0");
  }
}
