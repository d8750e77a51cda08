import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.engine.RunLimits;
import dev.kiln.engine.RunOutcome;
import dev.kiln.engine.RunRequest;
import dev.kiln.engine.RunSupervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N trivial runs (language-common preinstalled) through the engine, sequentially and two at a
 * time. CPU is this JVM's own plus its reaped children's (utime+stime+cutime+cstime of
 * /proc/self/stat): every run process is waited for, so its CPU is counted.
 * Usage: java -cp <kiln classpath> bench/run/RunBenchmark.java [runs] [repoDir]
 */
public class RunBenchmark {
  static final String JOB = "fn(s => ({ ...s, data: { n: 1 } }))";
  static final double REFERENCE_CPU_PER_RUN = 2.0;
  static final String REFERENCE_RUNS_PER_S = "0.79-0.86";
  static final AtomicInteger IDS = new AtomicInteger();

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path repo = Path.of(args.length > 1 ? args[1]
        : System.getProperty("user.home") + "/.cache/kiln/test-repo");
    System.out.printf("%-26s %5s %8s %8s %10s   %-18s %s%n",
        "mode", "runs", "wall s", "runs/s", "CPU-s/run", "reference runs/s", "reference CPU-s/run");
    for (String mode : new String[] {"sequential", "sequential, warm spare", "concurrency 2, warm spare"}) {
      int concurrency = mode.startsWith("concurrency 2") ? 2 : 1;
      try (RunSupervisor supervisor = RunSupervisor.create(repo, mode.contains("warm"))) {
        check(run(supervisor)); // installs language-common once, starts the spare, warms caches
        long cpu0 = cpuTicks();
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
          List<Future<RunOutcome>> results = new ArrayList<>();
          for (int i = 0; i < runs; i++) {
            results.add(pool.submit(() -> run(supervisor)));
          }
          for (Future<RunOutcome> f : results) {
            check(f.get());
          }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        awaitReaped(mode.contains("warm") ? 1 : 0);
        double cpuPerRun = (cpuTicks() - cpu0) / 100.0 / runs;
        System.out.printf("%-26s %5d %8.2f %8.2f %10.2f   %-18s %.1f  (x%.1f less CPU)%n",
            mode, runs, wall, runs / wall, cpuPerRun,
            REFERENCE_RUNS_PER_S, REFERENCE_CPU_PER_RUN, REFERENCE_CPU_PER_RUN / cpuPerRun);
      }
    }
  }

  static RunOutcome run(RunSupervisor supervisor) throws Exception {
    ObjectNode plan = new ObjectMapper().createObjectNode();
    plan.put("id", "bench-" + IDS.incrementAndGet());
    ObjectNode step = plan.putObject("workflow").putArray("steps").addObject();
    step.put("id", "job");
    step.putArray("adaptors").add("@openfn/language-common@3.3.4");
    step.put("expression", JOB);
    return supervisor.run(RunRequest.of(plan, null).withLimits(RunLimits.defaults()), event -> {});
  }

  /** Waits until the finished run processes have exited (and so count in cutime/cstime). */
  static void awaitReaped(int spares) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (ProcessHandle.current().children().count() > spares && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  static void check(RunOutcome outcome) {
    if (!outcome.completed()) {
      throw new IllegalStateException("a benchmark run failed: " + outcome.failure());
    }
  }

  /** utime + stime + cutime + cstime of this process, in clock ticks (100 Hz on Linux). */
  static long cpuTicks() throws Exception {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // after "pid (comm) ": f[0]=state ... utime=f[11], stime=f[12], cutime=f[13], cstime=f[14]
    return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
  }
}
