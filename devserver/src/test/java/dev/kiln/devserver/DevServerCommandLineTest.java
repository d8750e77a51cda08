package dev.kiln.devserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DevServerCommandLineTest {
  @Test
  void optionsAndTheWorkerSecretFromTheEnvironment() {
    DevServerConfig config = DevServerCommandLine.parse(new String[] {"--port", "4100", "--db", "x.db",
        "--mock-quirks", "--api-token", "t", "--max-run-duration-seconds", "60", "--grace-seconds", "2"},
        Map.of("WORKER_SECRET", "from-env"));
    assertThat(config.port()).isEqualTo(4100);
    assertThat(config.database()).isEqualTo(Path.of("x.db"));
    assertThat(config.mockQuirks()).isTrue();
    assertThat(config.apiToken()).isEqualTo("t");
    assertThat(config.workerSecret()).isEqualTo("from-env");
    assertThat(config.defaultRunTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.gracePeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(DevServerCommandLine.parse(new String[] {"--secret", "cli"}, Map.of("WORKER_SECRET", "env"))
        .workerSecret()).isEqualTo("cli");
    assertThat(DevServerCommandLine.parse(new String[0], Map.of()).port()).isEqualTo(4000);
  }

  @Test
  void mistakesNameTheOption() {
    assertThatThrownBy(() -> DevServerCommandLine.parse(new String[] {"--port", "x"}, Map.of()))
        .hasMessage("--port needs a whole number, not x");
    assertThatThrownBy(() -> DevServerCommandLine.parse(new String[] {"--nope", "1"}, Map.of()))
        .hasMessageStartingWith("Unknown option --nope");
  }
}
