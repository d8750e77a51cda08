#!/usr/bin/env python3
"""End-to-end worker benchmark: a dev server and a `kiln worker` as separate processes, N runs
enqueued at once at capacity C, then runs/s, per-phase p50/p95 from the dev server's stored
timestamps, CPU-seconds per run (run processes, worker, dev server) and the peak RSS of the
worker's process tree. Started by bench/e2e/run.sh, which
passes the Java binary and class path. Prints one table per variant."""
import argparse
import http.server
import json
import os
import secrets
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from datetime import datetime

REFERENCE_RUNS_PER_S = "0.79-0.86"
REFERENCE_RSS_MB = "529-571"
COMMON = "@openfn/language-common@3.3.4"
HTTP = "@openfn/language-http@7.2.10"


# The worker and the dev server as ./kiln starts them: their JVM options files and 2 malloc arenas.
CLI_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "cli")
LAUNCHER_WORKER_OPTS = "@" + os.path.join(CLI_DIR, "worker-jvm.options")
LAUNCHER_DEV_OPTS = "@" + os.path.join(CLI_DIR, "dev-jvm.options")
WORKER_ENV = {"MALLOC_ARENA_MAX": "2", **os.environ}


def process_arguments(runs, capacity):
    """A parser with the options of a benchmark that starts a dev server and a worker."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--java", required=True)
    parser.add_argument("--classpath", required=True)
    parser.add_argument("--runs", type=int, default=runs)
    parser.add_argument("--capacity", type=int, default=capacity)
    parser.add_argument("--repo-dir", help="adaptor repo (default: a fresh one; tarballs come from Kiln's npm cache)")
    parser.add_argument("--worker-java-opts", default=LAUNCHER_WORKER_OPTS,
                        help="JVM options of the worker process (default: the launcher's, @cli/worker-jvm.options,"
                             " with MALLOC_ARENA_MAX=2 as ./kiln sets it)")
    parser.add_argument("--dev-java-opts", default=LAUNCHER_DEV_OPTS,
                        help="JVM options of the dev server (default: the launcher's for `kiln dev`, @cli/dev-jvm.options)")
    return parser


def start_dev_server_and_worker(args, work, logs):
    """Starts a dev server (its data in work), waits for its API, then starts a worker connected to
    it (its repo: args.repo_dir, set to a fresh one in work when not given); returns (dev server
    process, worker process, Api, the worker's HTTP port)."""
    args.repo_dir = args.repo_dir or os.path.join(work, "repo")
    dev_port, worker_port = free_port(), free_port()
    secret, token = secrets.token_hex(32), secrets.token_hex(16)
    dev = subprocess.Popen([args.java, *args.dev_java_opts.split(), "-cp", args.classpath, "dev.kiln.devserver.DevServer",
                            "--port", str(dev_port), "--db", os.path.join(work, "dev.db"),
                            "--secret", secret, "--api-token", token], stdout=logs, stderr=logs, env=WORKER_ENV)
    try:
        api = Api(dev_port, token)

        def devserver_up():
            try:
                return api.call("/runs?limit=1") is not None
            except OSError:
                return False
        wait_until(devserver_up, 60, "the dev server")
        worker = subprocess.Popen([args.java, *args.worker_java_opts.split(), "-cp", args.classpath,
                                   "dev.kiln.cli.Main", "worker",
                                   "--lightning", f"ws://127.0.0.1:{dev_port}/worker", "--secret", secret,
                                   "--capacity", str(args.capacity), "--port", str(worker_port),
                                   "--repo-dir", args.repo_dir,
                                   "--data-dir", os.path.join(work, "worker-data")],
                                  stdout=logs, stderr=logs, env=WORKER_ENV)
    except BaseException:
        stop(dev)
        raise
    return dev, worker, api, worker_port


def stop(*processes):
    """Terminates the processes that were started (None: not started), killing any that linger."""
    for proc in processes:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def iso_micros(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


class Api:
    def __init__(self, port, token):
        self.base = f"http://127.0.0.1:{port}/api"
        self.token = token

    def call(self, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method="POST" if data else "GET",
                                     headers={"Authorization": f"Bearer {self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read() or b"null")


def wait_until(predicate, timeout_s, what):
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise SystemExit(f"bench/e2e: timed out waiting for {what}")


def tree_rss_kb(root_pid):
    """RSS of a process and all its descendants, and of the root alone, in kB."""
    children = {}
    rss = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            with open(f"/proc/{entry}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss[int(entry)] = int(line.split()[1])
            children.setdefault(ppid, []).append(int(entry))
        except (OSError, ValueError):
            continue
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total, rss.get(root_pid, 0)


def cpu_seconds(pids_root, tree=True):
    """CPU time (user + system) used so far by a process, in seconds: with tree, also by its live
    descendants and the children it has reaped."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents, used = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            parents.setdefault(int(fields[1]), []).append(int(entry))
            used[int(entry)] = (int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14]))
        except (OSError, ValueError, IndexError):
            continue
    if not tree:
        return used.get(pids_root, (0, 0))[0] / ticks
    total, stack = used.get(pids_root, (0, 0))[1], [pids_root]
    while stack:
        pid = stack.pop()
        total += used.get(pid, (0, 0))[0]
        stack.extend(parents.get(pid, []))
    return total / ticks


def idle(pid, worker_port):
    """RSS (tree, worker alone) in kB of a worker that has answered /livez and been idle for 5 s."""
    def live():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{worker_port}/livez", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False
    wait_until(live, 60, "the worker's /livez")
    time.sleep(5)
    return tree_rss_kb(pid)


class RssSampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak_tree, self.peak_root, self.running = pid, 0, 0, True

    def run(self):
        while self.running:
            tree, root = tree_rss_kb(self.pid)
            self.peak_tree, self.peak_root = max(self.peak_tree, tree), max(self.peak_root, root)
            time.sleep(0.05)

    def reset(self):
        self.peak_tree = self.peak_root = 0


class ItemHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"id": 1, "name": "item"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def variants(http_port):
    items = [{"id": i, "name": f"item-{i:06d}", "x": i} for i in range(16000)]  # ~1 MB of JSON
    trivial = ({"steps": [{"id": "job", "adaptors": [COMMON], "expression": "fn(s => ({ ...s, data: { n: 1 } }))"}]}, {})
    return {
        "trivial": trivial,
        "trivial one-at-a-time": trivial,
        "1 MB mapping": ({"steps": [{"id": "job", "adaptors": [COMMON],
                                     "expression": "fn(s => ({ ...s, data: { items: s.data.items.map(i => ({ ...i, y: i.x * 2 })) } }))"}]},
                         {"data": {"items": items}}),
        "HTTP step": ({"steps": [{"id": "job", "adaptors": [HTTP],
                                  "expression": f"get('http://127.0.0.1:{http_port}/item')"}]}, {}),
        # the worker's memory under the largest states: just under the 10 MB payload limit (sent to
        # Lightning), and far over it (redacted; the engine drops the body unread)
        "9 MB state": ({"steps": [{"id": "job", "adaptors": [COMMON],
                                   "expression": "fn(s => ({ data: { big: 'x'.repeat(9 * 1024 * 1024) } }))"}]}, {}),
        # a 9 MB input dataclip (fetched by the worker, written to the run process) and a 9 MB output
        "9 MB in and out": ({"steps": [{"id": "job", "adaptors": [COMMON],
                                        "expression": "fn(s => ({ data: { big: s.data.big + '!' } }))"}]},
                            {"data": {"big": "x" * (9 * 1024 * 1024)}}),
        # the largest job code: a ~9 MB mapping object in the plan (fetched by the worker as JSON,
        # compiled in the run process)
        "9 MB job": ({"steps": [{"id": "job", "adaptors": [COMMON],
                                 "expression": "const mapping = " + json.dumps({f"key-{i:07d}": f"value-{i:07d}" for i in range(300000)})
                                               + ";\nfn(s => ({ ...s, data: { keys: Object.keys(mapping).length } }))"}]}, {}),
        "50 MB state": ({"steps": [{"id": "job", "adaptors": [COMMON],
                                    "expression": "fn(s => ({ data: { big: 'x'.repeat(50 * 1024 * 1024) } }))"}]}, {}),
    }


def wait_for_indexes(repo_dir, log_file, workflow):
    """Waits until the worker has indexed (or given up indexing) each adaptor of the workflow: it does
    that in the background after the install, in a process of its own, and the runs before it load
    the adaptor without an index. Measuring steady state means measuring after it."""
    aliases = {spec.rsplit("@", 1)[0] + "_" + spec.rsplit("@", 1)[1]
               for step in workflow["steps"] for spec in step.get("adaptors", [])}
    def indexed():
        with open(log_file, errors="replace") as f:
            text = f.read()
        return all(os.path.exists(os.path.join(repo_dir, ".kiln", "adaptors", a, "index.json"))
                   or f"Could not index the adaptor {a} " in text for a in aliases)
    wait_until(indexed, 120, f"the worker's index of {', '.join(sorted(aliases))}")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


def all_finished(api, ids):
    return all(r["state"] not in ("available", "claimed", "started")
               for r in api.call(f"/runs?limit={len(ids) + 10}") if r["id"] in ids)


def measure(api, sampler, name, workflow, state, runs, idle_between_s=0.0):
    """All runs enqueued at once; or, with idle_between_s, one at a time with that pause after each
    (so the next run finds a ready process: the latency of an unloaded worker)."""
    sampler.reset()
    t0 = time.time()
    ids = []
    for _ in range(runs):
        ids.append(api.call("/runs", {"plan": {"workflow": workflow}, "input": state})["id"])
        if idle_between_s:
            wait_until(lambda: all_finished(api, ids[-1:]), 600, f"a '{name}' run")
            time.sleep(idle_between_s)
    wait_until(lambda: all_finished(api, ids), 600, f"{runs} '{name}' runs")
    wall = time.time() - t0 - idle_between_s * (runs if idle_between_s else 0)
    phases = {k: [] for k in ("claim → run:start", "run:start → step:start", "step:start → step:complete",
                              "step:complete → run:complete", "claim → run:complete")}
    failed = 0
    for run_id in ids:
        run = api.call(f"/runs/{run_id}")
        if run["state"] != "success":
            if not failed:
                print(f"  {name}: run {run_id} ended {run['state']}: {run.get('error_type')} {run.get('error_message')}")
            failed += 1
            continue
        claimed, started, finished = (iso_micros(run[k]) for k in ("claimed_at", "started_at", "finished_at"))
        step = run["steps"][0]
        s_start, s_end = iso_micros(step["started_at"]), iso_micros(step["finished_at"])
        for key, value in zip(phases, (started - claimed, s_start - started, s_end - s_start,
                                       finished - s_end, finished - claimed)):
            phases[key].append(value * 1000)
    return wall, failed, phases


def main():
    parser = process_arguments(runs=40, capacity=2)
    parser.add_argument("--variants", default="trivial,trivial one-at-a-time,1 MB mapping,HTTP step")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="kiln-bench-e2e-")
    item_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), ItemHandler)
    threading.Thread(target=item_server.serve_forever, daemon=True).start()
    logs = open(os.path.join(work, "processes.log"), "w")
    dev, worker, api, worker_port = start_dev_server_and_worker(args, work, logs)
    try:
        sampler = RssSampler(worker.pid)
        sampler.start()
        idle_rss = idle(worker.pid, worker_port)
        print(f"kiln bench/e2e {datetime.now().astimezone().isoformat(timespec='minutes')}, "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
              f"{args.runs} runs per variant at capacity {args.capacity}, worker JVM options '{args.worker_java_opts}', "
              f"dev server JVM options '{args.dev_java_opts}'; times in ms")
        for name, (workflow, state) in variants(item_server.server_address[1]).items():
            if name not in args.variants.split(","):
                continue
            warm = measure(api, sampler, name, workflow, state, args.capacity)  # installs adaptors, warms
            if warm[1]:
                raise SystemExit(f"bench/e2e: the '{name}' warm-up runs failed; see {logs.name}")
            wait_for_indexes(args.repo_dir, logs.name, workflow)
            sequential = name.endswith("one-at-a-time")
            count = args.runs // 2 if sequential else args.runs
            def cpu_now():
                return cpu_seconds(worker.pid), cpu_seconds(worker.pid, tree=False), cpu_seconds(dev.pid)
            cpu_before = cpu_now()
            wall, failed, phases = measure(api, sampler, name, workflow, state, count, 3.0 if sequential else 0.0)
            tree_cpu, worker_cpu, dev_cpu = ((after - before) / count for before, after in zip(cpu_before, cpu_now()))
            rate = count / wall
            print(f"\n{name}: {count} runs in {wall:.1f} s = {rate:.2f} runs/s"
                  f" (reference {REFERENCE_RUNS_PER_S}: x{rate / 0.86:.1f}), failed {failed};"
                  f" CPU-s per run {tree_cpu + dev_cpu:.2f} (reference ~2): run processes {tree_cpu - worker_cpu:.2f},"
                  f" worker {worker_cpu:.2f}, dev server {dev_cpu:.2f};"
                  f" peak RSS worker tree {sampler.peak_tree // 1024} MB (reference {REFERENCE_RSS_MB}),"
                  f" worker process {sampler.peak_root // 1024} MB")
            print(f"  {'phase':32} {'p50':>8} {'p95':>8}")
            for phase, values in phases.items():
                if values:
                    print(f"  {phase:32} {percentile(values, 50):8.0f} {percentile(values, 95):8.0f}")
        sampler.running = False
        end_rss = idle(worker.pid, worker_port)
        print(f"\nidle worker process: {idle_rss[1] // 1024} MB RSS after start (tree {idle_rss[0] // 1024} MB),"
              f" {end_rss[1] // 1024} MB after the runs (tree {end_rss[0] // 1024} MB, with the ready spare)")
    finally:
        stop(worker, dev)
        item_server.shutdown()


if __name__ == "__main__":
    main()
