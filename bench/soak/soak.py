#!/usr/bin/env python3
"""Soak (issue 5): a dev server and a `kiln worker` as separate processes, N trivial
language-common runs enqueued at once at capacity C; every second the worker process' RSS (/proc)
and JVM heap (jvm_memory_used_bytes{area="heap"} from its /metrics) are sampled. Prints start /
after warm-up / end / peak for both, runs by final state, Lost, and whether memory is flat (end
within 10 % of after warm-up). Started by bench/soak/run.sh, which passes the Java binary and
class path. The process plumbing is bench/e2e's (imported, not copied)."""
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import bench as e2e  # noqa: E402

WINDOW = 10  # samples (seconds) whose median is the "after warm-up" and "end" figure
FLAT = 0.10
FINAL = ("success", "failed", "crashed", "cancelled", "killed", "exception", "lost")
HEAP = re.compile(r'^jvm_memory_used_bytes\{area="heap",id="([^"]*)"\}\s+([0-9.eE+-]+)$', re.M)
OLD_POOLS = ("Old Gen", "Tenured Gen")  # G1 / Parallel, Serial: the pool where long-lived objects stay
RUNS = re.compile(r'^kiln_worker_runs_total\{[^}]*\}\s+([0-9.eE+-]+)$', re.M)


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def scrape(port):
    """(heap used, old generation used, runs completed) from the worker's /metrics; None if it does not answer."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
            text = r.read().decode()
    except OSError:
        return None
    pools = HEAP.findall(text)
    return (sum(float(v) for _, v in pools), sum(float(v) for pool, v in pools if pool.endswith(OLD_POOLS)),
            int(sum(float(v) for v in RUNS.findall(text))))


class Sampler(threading.Thread):
    """Every second: (seconds since start, RSS bytes, heap bytes, old generation bytes, runs completed)."""

    def __init__(self, pid, port):
        super().__init__(daemon=True)
        self.pid, self.port, self.samples, self.running, self.t0 = pid, port, [], True, time.time()

    def run(self):
        while self.running:
            metrics = scrape(self.port)
            if metrics is not None:
                try:
                    self.samples.append((time.time() - self.t0, rss_bytes(self.pid), *metrics))
                except OSError:
                    return
            time.sleep(1.0)


def median(samples, index):
    return statistics.median(s[index] for s in samples)


def mb(value):
    return f"{value / 1024 / 1024:.0f} MB"


def main():
    parser = e2e.process_arguments(runs=2000, capacity=5)
    parser.add_argument("--warmup", type=int, help="runs before the 'after warm-up' figure (default 10 %%, at least 20)")
    args = parser.parse_args()
    warmup = args.warmup or max(20, args.runs // 10)

    work = tempfile.mkdtemp(prefix="kiln-bench-soak-")
    logs = open(os.path.join(work, "processes.log"), "w")
    dev, worker, api, worker_port = e2e.start_dev_server_and_worker(args, work, logs)
    try:
        e2e.wait_until(lambda: scrape(worker_port), 60, "the worker's /metrics")
        sampler = Sampler(worker.pid, worker_port)
        sampler.start()
        load = os.getloadavg()[0]
        started = datetime.now().astimezone()
        workflow = {"steps": [{"id": "job", "adaptors": [e2e.COMMON], "expression": "fn(s => ({ ...s, data: { n: 1 } }))"}]}
        ids = [api.call("/runs", {"plan": {"workflow": workflow}, "input": {}})["id"] for _ in range(args.runs)]

        def finished():
            runs = api.call(f"/runs?limit={args.runs + 10}")
            done = [r for r in runs if r["id"] in set(ids) and r["state"] in FINAL]
            return runs if len(done) == len(ids) else None
        deadline = time.time() + max(600, args.runs * 5)
        runs = None
        while runs is None and time.time() < deadline:
            time.sleep(5)
            runs = finished()
        time.sleep(2)  # two more samples after the last run
        sampler.running = False
        sampler.join(5)
        if runs is None:
            runs = api.call(f"/runs?limit={args.runs + 10}")
        by_state = {}
        for r in runs:
            if r["id"] in set(ids):
                by_state[r["state"]] = by_state.get(r["state"], 0) + 1
        unfinished = sum(n for s, n in by_state.items() if s not in FINAL)
        lost = by_state.get("lost", 0) + unfinished

        samples = sampler.samples
        last_run = next((i for i, s in enumerate(samples) if s[4] >= args.runs), len(samples) - 1)
        after_warmup = next((i for i, s in enumerate(samples) if s[4] >= warmup), 0)
        warm = samples[after_warmup:after_warmup + WINDOW]
        end = samples[max(after_warmup, last_run - WINDOW + 1):last_run + 1]
        wall = samples[last_run][0] if samples else 0

        print(f"kiln bench/soak {started.isoformat(timespec='minutes')}, {os.cpu_count()} cores, load average "
              f"{load:.1f} at start / {os.getloadavg()[0]:.1f} at end, {args.runs} runs (trivial, {e2e.COMMON}) "
              f"at capacity {args.capacity}, warm-up {warmup} runs, worker JVM options '{args.worker_java_opts}'; "
              f"{len(samples)} samples, 1/s; all runs done after {wall:.0f} s ({args.runs / max(wall, 1):.2f} runs/s)")
        print()
        print("| worker process | start | after warm-up | end | peak | end / after warm-up | flat (±10 %) |")
        print("|---|---|---|---|---|---|---|")
        for name, index in (("RSS", 1), ("JVM heap used", 2), ("JVM old generation used", 3)):
            a, e = median(warm, index), median(end, index)
            ratio = e / a if a else float("nan")
            print(f"| {name} | {mb(samples[0][index])} | {mb(a)} | {mb(e)} | {mb(max(s[index] for s in samples))} "
                  f"| {ratio:.2f} | {'yes' if abs(ratio - 1) <= FLAT else 'no'} |")
        print()
        print(f"Runs by final state: {', '.join(f'{n} {s}' for s, n in sorted(by_state.items()))}; Lost: {lost}")
        print(f"(after warm-up = median of the {WINDOW} samples once {warmup} runs had completed; end = median of "
              f"the last {WINDOW} samples up to the last run:complete; logs in {logs.name})")
        return 0 if lost == 0 else 1
    finally:
        e2e.stop(worker, dev)


if __name__ == "__main__":
    sys.exit(main())
