package dev.kiln.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * bench/adaptor-load: the CPU of loading an installed adaptor in a fresh Node runtime (this JVM
 * warm, Node locked down as in a run process) without its resolution index ("cold"), with an
 * index that only names the build to import ("entry only": the cost of the failed ES-build
 * attempt), and with the full index ("indexed"). The modes alternate round by round so that
 * all see the same machine load. The index is recorded here as the indexing process does
 * (same host code) and written where the engine puts it.
 *
 * <p>Usage: {@code AdaptorLoadBenchMain <repo copy> <rounds> <adaptor alias>...} (the repo is
 * written to: give a copy).
 */
public final class AdaptorLoadBenchMain {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] MODES = {"cold", "entry only", "indexed", "lazy deps"};

  private AdaptorLoadBenchMain() {}

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args[0]).toAbsolutePath().normalize();
    int rounds = Integer.parseInt(args[1]);
    List<String> aliases = Arrays.asList(args).subList(2, args.length);
    Path workDir = Files.createTempDirectory("kiln-bench-adaptor-load");
    NodeHost.configureProcess(0, new NodePermissions(workDir, List.of(repo)));
    System.out.printf("%-36s %-11s %9s %9s %9s %7s%n", "adaptor", "mode", "cpu ms", "wall ms", "min cpu", "ratio");
    for (String alias : aliases) {
      Path root = repo.resolve("node_modules").resolve(alias);
      Path indexFile = repo.resolve(".kiln/adaptors").resolve(alias).resolve("index.json");
      ObjectNode index = record(root);
      ObjectNode entryOnly = index.deepCopy();
      entryOnly.putObject("resolutions");
      entryOnly.putObject("lazy");
      ObjectNode eager = index.deepCopy();
      eager.putObject("lazy");
      Files.createDirectories(indexFile.getParent());
      long[][] cpu = new long[MODES.length][rounds];
      long[][] wall = new long[MODES.length][rounds];
      load(root); // warm the page cache and this JVM's paths
      for (int r = 0; r < rounds; r++) {
        for (int m = 0; m < MODES.length; m++) {
          switch (m) {
            case 0 -> Files.deleteIfExists(indexFile);
            case 1 -> write(indexFile, entryOnly);
            case 2 -> write(indexFile, eager);
            default -> write(indexFile, index);
          }
          long[] cost = load(root);
          cpu[m][r] = cost[0];
          wall[m][r] = cost[1];
        }
      }
      double coldCpu = median(cpu[0]);
      for (int m = 0; m < MODES.length; m++) {
        System.out.printf("%-36s %-11s %9.0f %9.0f %9d %7.2f%n", alias, MODES[m], median(cpu[m]), median(wall[m]),
            Arrays.stream(cpu[m]).min().orElse(0), median(cpu[m]) / coldCpu);
      }
      System.out.printf("%-36s %s build, %d resolutions, lazy: %s%n", "", index.get("entry").asText(),
          index.get("resolutions").size(), index.get("shapes").properties().stream().map(java.util.Map.Entry::getKey).toList());
    }
  }

  /** Records the index in a fresh runtime, as AdaptorIndexMain does. */
  private static ObjectNode record(Path root) throws IOException {
    try (NodeHost host = NodeHost.create((level, name, message, time) -> {}, System.err)) {
      ObjectNode report = (ObjectNode) JSON.readTree(host.recordAdaptorIndex(root.toString()));
      if (!report.has("index")) {
        throw new IllegalStateException("cannot index " + root + ": " + report.path("error").asText());
      }
      return (ObjectNode) report.get("index");
    }
  }

  /** CPU ms (this process) and wall ms of importing the adaptor into a fresh runtime. */
  private static long[] load(Path root) {
    try (NodeHost host = NodeHost.create((level, name, message, time) -> {}, System.err)) {
      long cpu0 = cpuNanos();
      long wall0 = System.nanoTime();
      String problem = host.preload(root.toString());
      long[] cost = {(cpuNanos() - cpu0) / 1_000_000, (System.nanoTime() - wall0) / 1_000_000};
      if (problem != null) {
        throw new IllegalStateException("cannot load " + root + ": " + problem);
      }
      return cost;
    }
  }

  private static void write(Path file, ObjectNode index) throws IOException {
    Path temp = file.resolveSibling("index.json.tmp");
    JSON.writeValue(temp.toFile(), index);
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }
}
