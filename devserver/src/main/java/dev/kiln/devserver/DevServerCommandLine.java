package dev.kiln.devserver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Parses {@link DevServer#main}'s arguments into a {@link DevServerConfig}. */
final class DevServerCommandLine {
  private DevServerCommandLine() {}

  static DevServerConfig parse(String[] args, Map<String, String> env) {
    DevServerConfig config = DevServerConfig.defaults().withPort(4000);
    if (env.get("WORKER_SECRET") != null && !env.get("WORKER_SECRET").isEmpty()) {
      config = config.withWorkerSecret(env.get("WORKER_SECRET"));
    }
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--mock-quirks")) {
        config = config.withMockQuirks(true);
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Unknown option or missing value: " + arg);
      }
      String value = args[++i];
      config = switch (arg) {
        case "--host" -> config.withHost(value);
        case "--port", "-p" -> config.withPort(number(arg, value));
        case "--db" -> config.withDatabase(Path.of(value));
        case "--secret", "-s" -> config.withWorkerSecret(value);
        case "--api-token" -> config.withApiToken(value);
        case "--max-run-duration-seconds" -> config.withDefaultRunTimeout(Duration.ofSeconds(number(arg, value)));
        case "--grace-seconds" -> config.withGracePeriod(Duration.ofSeconds(number(arg, value)));
        default -> throw new IllegalArgumentException("Unknown option " + arg + " (options: --host, --port, --db,"
            + " --mock-quirks, --secret, --api-token, --max-run-duration-seconds, --grace-seconds)");
      };
    }
    return config;
  }

  private static int number(String option, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a whole number, not " + value, e);
    }
  }
}
