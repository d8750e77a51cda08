import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.engine.PlanAutoinstaller;
import dev.kiln.engine.RunOutcome;
import dev.kiln.engine.RunProcessLauncher;
import dev.kiln.engine.RunRequest;
import dev.kiln.engine.RunSupervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cost of the locked-down run-process profile on a trivial run: N adaptor-free runs
 * ({@code export default [s => ({ ...s, data: { n: 1 } })]}) through RunSupervisor, one process
 * per run, alternating between an unlocked launcher (the baseline) and the locked-down one
 * (run folder, Node permission model, host lockdown) so both see the same machine load.
 * CPU is this JVM's plus its reaped children's (utime+stime+cutime+cstime of /proc/self/stat).
 * Usage: java -cp <kiln classpath> bench/sandbox/SandboxBenchmark.java [runs=10]
 */
public class SandboxBenchmark {
  static final AtomicInteger IDS = new AtomicInteger();

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path repo = Files.createTempDirectory("kiln-bench-sandbox-repo");
    PlanAutoinstaller noAdaptors = new PlanAutoinstaller(spec -> {
      throw new IllegalStateException("the benchmark job has no adaptor");
    });
    double[] wall = new double[2];
    double[] cpu = new double[2];
    try (RunSupervisor unlocked = new RunSupervisor(repo, noAdaptors, RunProcessLauncher.ofCurrentJvm(), false);
        RunSupervisor locked = RunSupervisor.create(repo, false)) {
      RunSupervisor[] supervisors = {unlocked, locked};
      for (RunSupervisor s : supervisors) {
        check(run(s)); // warm the page cache and the Javet library cache
      }
      for (int i = 0; i < runs; i++) {
        for (int m = 0; m < 2; m++) {
          long cpu0 = cpuTicks();
          long t0 = System.nanoTime();
          check(run(supervisors[m]));
          awaitReaped();
          wall[m] += (System.nanoTime() - t0) / 1e6;
          cpu[m] += (cpuTicks() - cpu0) / 100.0;
        }
      }
    }
    System.out.printf("%s, %d runs per profile, load average %s%n", LocalDate.now(), runs,
        Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    System.out.printf("%-26s %12s %12s %14s%n", "profile", "wall ms/run", "CPU-s/run", "ratio (wall)");
    String[] names = {"unlocked (baseline)", "locked down"};
    for (int m = 0; m < 2; m++) {
      System.out.printf("%-26s %12.0f %12.2f %14.2f%n", names[m], wall[m] / runs, cpu[m] / runs, wall[m] / wall[0]);
    }
    System.out.printf("CPU ratio locked/unlocked: %.2f%n", cpu[1] / cpu[0]);
  }

  static RunOutcome run(RunSupervisor supervisor) {
    ObjectNode plan = new ObjectMapper().createObjectNode();
    plan.put("id", "bench-" + IDS.incrementAndGet());
    ObjectNode step = plan.putObject("workflow").putArray("steps").addObject();
    step.put("id", "job");
    step.put("expression", "export default [s => ({ ...s, data: { n: 1 } })];");
    return supervisor.run(RunRequest.of(plan, null), event -> {});
  }

  /** Waits until the finished run process has exited (and so counts in cutime/cstime). */
  static void awaitReaped() {
    ProcessHandle.current().children().forEach(p -> p.onExit().join());
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
    return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
  }
}
