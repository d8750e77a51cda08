import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.compiler.AdaptorExports;
import dev.kiln.engine.RunEvent;
import dev.kiln.engine.RunLimits;
import dev.kiln.engine.RunOutcome;
import dev.kiln.engine.RunRequest;
import dev.kiln.engine.RunSupervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The compile phase of a trivial language-common step, N sequential runs each taking a ready warm
 * spare (so the compiler is warmed as in a worker), in three modes: no cache; cache with a new
 * source every run (the export list is a hit, the step a miss); cache with the same source (the
 * step is a hit). Two figures: the run process' compile-complete duration (compiling, including
 * reading the adaptor's export list) and, seen by the engine, from sending the run to the process
 * until compile-complete (also the run frame, the plan's parsing, setting up the cache). Also:
 * reading language-common's export list from its type definitions in this JVM, first and warm.
 * Usage: java -cp <kiln classpath> bench/cache/CacheBenchmark.java [runs] [repoDir]
 */
public class CacheBenchmark {
  static final String COMMON = "@openfn/language-common@3.3.4";
  static final String JOB = "fn(s => ({ ...s, data: { n: 1 } }))";
  static final AtomicInteger IDS = new AtomicInteger();

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    Path repo = Path.of(args.length > 1 ? args[1] : System.getProperty("user.home") + "/.cache/kiln/test-repo");
    Path cache = Files.createTempDirectory("kiln-bench-compile-cache");
    System.out.printf("%-36s %5s   %-28s   %-28s%n", "", "", "compile phase (process), ms", "run sent -> compile-complete, ms");
    System.out.printf("%-36s %5s   %8s %8s %10s   %8s %8s %10s%n", "mode", "runs", "p50", "p95", "mean", "p50", "p95", "mean");
    double baseline = 0;
    double baselineSeen = 0;
    for (String mode : new String[] {"no cache", "cache: export list hit, step miss", "cache: step hit"}) {
      System.setProperty("kiln.compile.cache", mode.equals("no cache") ? "off" : cache.toString());
      boolean sameSource = mode.endsWith("step hit");
      try (RunSupervisor supervisor = RunSupervisor.create(repo, true)) {
        run(supervisor, sameSource ? JOB : JOB + " // warm-up " + mode); // installs, starts the spare, fills the cache
        List<Long> phase = new ArrayList<>();
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
          awaitReadySpare(supervisor);
          long[] times = run(supervisor, sameSource ? JOB : JOB + " // run " + IDS.incrementAndGet());
          phase.add(times[0]);
          seen.add(times[1]);
        }
        double mean = mean(phase);
        double meanSeen = mean(seen);
        if (baseline == 0) {
          baseline = mean;
          baselineSeen = meanSeen;
        }
        System.out.printf("%-36s %5d   %8d %8d %10.1f   %8d %8d %10.1f   (x%.2f, x%.2f of no cache)%n", mode, runs,
            p(phase, 0.5), p(phase, 0.95), mean, p(seen, 0.5), p(seen, 0.95), meanSeen, mean / baseline, meanSeen / baselineSeen);
      }
    }
    Path common = repo.resolve("node_modules/@openfn/language-common_3.3.4");
    long t0 = System.nanoTime();
    int names = AdaptorExports.fromPackage(common).size();
    double first = (System.nanoTime() - t0) / 1e6;
    long t1 = System.nanoTime();
    for (int i = 0; i < 20; i++) {
      AdaptorExports.fromPackage(common);
    }
    double warm = (System.nanoTime() - t1) / 1e6 / 20;
    System.out.printf("%nlanguage-common 3.3.4 export list from its type definitions (%d names): first call in this JVM %.1f ms, warm %.2f ms%n",
        names, first, warm);
  }

  static double mean(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).average().orElse(0);
  }

  static long p(List<Long> values, double q) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * q) - 1));
  }

  /**
   * Gives the spare process time to get ready (3 s, as bench/e2e's one-at-a-time variant: the
   * engine does not tell when its spare is ready), so each run measures a warm process.
   */
  static void awaitReadySpare(RunSupervisor supervisor) throws InterruptedException {
    Thread.sleep(3000);
  }

  /** One run; returns its compile-complete duration and the time from sending the run to compile-complete, in ms. */
  static long[] run(RunSupervisor supervisor, String job) {
    ObjectNode plan = new ObjectMapper().createObjectNode();
    plan.put("id", "bench-" + IDS.incrementAndGet());
    ObjectNode step = plan.putObject("workflow").putArray("steps").addObject();
    step.put("id", "job");
    step.putArray("adaptors").add(COMMON);
    step.put("expression", job);
    AtomicLong compileMs = new AtomicLong(-1);
    AtomicLong sent = new AtomicLong();
    AtomicLong seenMs = new AtomicLong(-1);
    RunOutcome outcome = supervisor.run(RunRequest.of(plan, null).withLimits(RunLimits.defaults()), event -> {
      if (RunEvent.LOG.equals(event.type()) && event.meta().path("message").toString().contains("Timeout:")) {
        sent.set(System.nanoTime()); // the engine's last line before it hands the run to the ready process
      } else if (RunEvent.COMPILE_COMPLETE.equals(event.type())) {
        compileMs.set(event.meta().path("duration").asLong());
        seenMs.set((System.nanoTime() - sent.get()) / 1_000_000);
      }
    });
    if (!outcome.completed()) {
      throw new IllegalStateException("a benchmark run failed: " + outcome.failure());
    }
    return new long[] {compileMs.get(), seenMs.get()};
  }
}
