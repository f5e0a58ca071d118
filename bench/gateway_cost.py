"""The gateway's own cost: CPU per query, throughput and latency at c=1, 10 and 50, memory, and
latency against the floor that the upstream round trips set.

The gateway runs as a real `timebridge serve` process, so its CPU time (utime + stime from
/proc, its workers included) and RSS are its own. The simulators run in this process, and their
CPU per query is shown beside the gateway's. The clients run in a process of their own
(bench/load_client.py): keep-alive connections, one per client, requests back to back. The
read cache is off and rate limits with it, so every query does its whole work; identical
queries in flight at once still share their upstream reads (coalescing), which is why the
upstream side costs less per query at c=10 and c=50 than at c=1.

With Debian's `wrk` installed (`apt-get install wrk`), the worker comparison is also made
with it: a C client leaves the cores to the gateway, where the Python client takes most of
one at c=50.

`--before DIR` measures a gateway from another checkout first (e.g. a clone of an earlier
commit, with its own `.venv`): this machine's speed varies by a factor of two from hour to
hour, so only figures from one run compare.

Two queries are measured. The bench query is bench/nested_query.py's (18 people × their week,
180 entries, project and task names, both platforms); the other is `{ __typename }`.

Latency floor: with `--latency` added to every upstream answer, the floor is the number of
dependent round trips × that latency (printed beside p50 ÷ the 2 round trips the performance
issue's target names). The round trips are read from the simulators' request
logs: a wave is the set of upstream calls that started before the previous wave's first one
ended. The naive baseline (a client fetching per person) is measured in the same run.

    .venv/bin/python -m bench.gateway_cost [--requests 200] [--latency 0.05] [--before DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.nested_query import QUERY, baseline
from gateway.demo import simulator_environment
from simulators.traffic import RequestRecord
from tests.mutations.conftest import REDIS_URL
from tests.stack import Stack, printed_url, running_stack, timebridge

TICK = os.sysconf("SC_CLK_TCK")
QUERIES = {"bench query": QUERY, "{__typename}": "{ __typename }"}
# The performance issue's latency target: p50 within 1.15x of 2 dependent round trips.
TARGET_TRIPS = 2


@contextmanager
def gateway(
    stack: Stack, workers: int = 1, checkout: Path | None = None
) -> Iterator[tuple[str, int]]:
    """A `timebridge serve` process; from another checkout (with its own .venv) when given,
    for a before/after comparison in one run on one machine."""
    env = {
        **os.environ,
        **simulator_environment(stack.demo.productive.url, stack.demo.clockify.url),
        "TIMEBRIDGE_MAX_CLIENT_CONNECTIONS": "500",
        # The gateway's own cost is measured, not its pacing inside the upstream budgets.
        "TIMEBRIDGE_PRODUCTIVE_RATE_LIMITS": "off",
        "TIMEBRIDGE_CLOCKIFY_RATE_LIMITS": "off",
        # Every query does its whole work: a cached answer would measure the cache instead.
        "TIMEBRIDGE_READ_CACHE": "off",
    }
    if workers > 1:
        # Workers share idempotency keys and events through Redis (the read cache is off).
        env["TIMEBRIDGE_IDEMPOTENCY_STORE"] = env["TIMEBRIDGE_EVENTS"] = REDIS_URL
    arguments = ("--workers", str(workers)) if workers > 1 else ()
    if checkout is None:
        with timebridge("serve", "--port", "0", *arguments, env=env, stop="terminate") as process:
            yield printed_url(process), process.pid
        return
    command = [str(checkout / ".venv/bin/python"), "-m", "gateway.cli", "serve", "--port", "0"]
    other = subprocess.Popen(
        command, cwd=checkout, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        yield printed_url(other), other.pid
    finally:
        other.terminate()
        other.communicate(timeout=60)


def processes(pid: int) -> list[int]:
    """The gateway's process and its workers."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found.extend(int(c) for c in children)
    return found


def cpu_seconds(pid: int) -> float:
    """User and system CPU of the gateway, its workers included."""
    total = 0
    for each in processes(pid):
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / TICK


def own_cpu() -> float:
    """This process's CPU: the simulators, which answer the gateway's upstream calls."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rss_mb(pid: int) -> float:
    """The largest resident set of the gateway's serving processes (each worker's own)."""
    sizes = []
    for each in processes(pid)[-1:] if len(processes(pid)) > 1 else [pid]:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(int(line.split()[1]) / 1024)
    return max(sizes, default=0.0)


def load(url: str, query: str, concurrency: int, total: int) -> tuple[list[float], float]:
    """`total` requests from `concurrency` keep-alive clients in a process of their own (see
    bench/load_client.py); their latencies in seconds, and the wall time."""
    job = {"url": url, "body": json.dumps({"query": query}), "concurrency": concurrency}
    job["total"] = total
    done = subprocess.run(
        [sys.executable, "-m", "bench.load_client"],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    answer = json.loads(done.stdout)
    return sorted(answer["latencies"]), float(answer["wall"])


def waves(records: list[RequestRecord]) -> int:
    """Dependent round trips: calls that start after the current wave's first answer."""
    count, wave_end = 0, 0.0
    for record in sorted(records, key=lambda r: r.at):
        if record.at >= wave_end:
            count += 1
            wave_end = record.ended
        else:
            wave_end = min(wave_end, record.ended)
    return count


def measure(url: str, pid: int, requests: int) -> list[list[str]]:
    rows = []
    for name, query in QUERIES.items():
        load(url, query, 1, 20)  # warm: parse caches, connections, imports
        scale = 10 if name == "{__typename}" else 1
        for concurrency in (1, 10, 50):
            count = requests * scale
            cpu_before, simulators_before = cpu_seconds(pid), own_cpu()
            latencies, wall = load(url, query, concurrency, count)
            cpu = (cpu_seconds(pid) - cpu_before) / len(latencies) * 1000
            simulators = (own_cpu() - simulators_before) / len(latencies) * 1000
            rows.append(
                [
                    name,
                    f"c={concurrency}",
                    f"{cpu:.2f}",
                    f"{len(latencies) / wall:.0f}",
                    f"{statistics.median(latencies) * 1000:.1f}",
                    f"{latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000:.1f}",
                    f"{rss_mb(pid):.0f}",
                    f"{simulators:.1f}",
                ]
            )
    return rows


def wrk_rps(url: str, query: str, seconds: int = 8) -> float | None:
    """rps from wrk (a C load generator, Debian's `wrk`) at c=50, when it is installed: it
    costs the machine far less than any Python client, so the gateway gets the cores."""
    if shutil.which("wrk") is None:
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        body = json.dumps({"query": query})
        script.write(
            f"wrk.method = 'POST'\nwrk.body = {json.dumps(body)}\n"
            "wrk.headers['Content-Type'] = 'application/json'\n"
        )
    try:
        command = ["wrk", "-t1", "-c50", "-s", script.name, url]
        subprocess.run([*command[:3], "-d2s", *command[3:]], capture_output=True, check=False)
        done = subprocess.run(
            [*command[:3], f"-d{seconds}s", *command[3:]],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(script.name)
    if "Non-2xx" in done.stdout:
        raise RuntimeError(done.stdout)
    for line in done.stdout.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    raise RuntimeError(done.stdout + done.stderr)


def throughput(url: str, requests: int) -> dict[str, float]:
    """rps at c=50 for each query, after a warm-up."""
    found = {}
    for name, query in QUERIES.items():
        count = requests * (10 if name == "{__typename}" else 1)
        load(url, query, 50, 100)
        latencies, wall = load(url, query, 50, count)
        found[name] = len(latencies) / wall
    return found


def floor(stack: Stack, url: str, latency: float, rounds: int) -> list[str]:
    for sim in (stack.productive, stack.clockify):
        sim.settings.faults.latency = latency
    try:
        times, trips = [], []
        for _ in range(rounds):
            stack.reset()
            times.extend(load(url, QUERY, 1, 1)[0])
            records = stack.productive.log.records + stack.clockify.log.records
            trips.append(waves(records))
        started = time.perf_counter()
        baseline(stack)
        naive = time.perf_counter() - started
    finally:
        for sim in (stack.productive, stack.clockify):
            sim.settings.faults.latency = 0.0
    p50 = statistics.median(times)
    round_trips = max(set(trips), key=trips.count)
    return [
        f"{p50 * 1000:.0f}",
        str(round_trips),
        f"{round_trips * latency * 1000:.0f}",
        f"{p50 / (round_trips * latency):.2f}",
        f"{p50 / (TARGET_TRIPS * latency):.2f}",
        f"{naive * 1000:.0f}",
    ]


def markdown(header: list[str], rows: list[list[str]]) -> None:
    """A table as bench/README.md shows it."""
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")


def table(rows: list[list[str]], latency_row: list[str], latency: float) -> None:
    header = "query, clients, gateway CPU ms/query, rps, p50 ms, p99 ms, RSS MB"
    markdown([*header.split(", "), "simulators CPU ms/query"], rows)
    print()
    print(
        f"| bench query at {latency * 1000:.0f} ms upstream latency | p50 ms | "
        f"round trips | floor ms | p50 ÷ floor | p50 ÷ {TARGET_TRIPS} round trips | "
        "naive baseline ms |"
    )
    print("|---|---|---|---|---|---|---|")
    print("| Timebridge | " + " | ".join(latency_row) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--workers", type=int, default=2, help="compared with one (0: skip)")
    parser.add_argument(
        "--before", type=Path, help="a checkout (with its .venv) measured first, as the baseline"
    )
    args = parser.parse_args()
    runs: list[tuple[str, list[list[str]], list[str]]] = []
    with running_stack() as stack:
        # The simulators' own limits would throttle a throughput test: this measures us.
        for sim in (stack.productive, stack.clockify):
            sim.limiter.windows = []
        before_wrk: dict[str, float | None] = {}
        if args.before is not None:
            with gateway(stack, checkout=args.before.resolve()) as (url, pid):
                rows = measure(url, pid, args.requests)
                before_wrk = {name: wrk_rps(url, query) for name, query in QUERIES.items()}
                runs.append(
                    (f"before ({args.before})", rows, floor(stack, url, args.latency, args.rounds))
                )
        with gateway(stack) as (url, pid):
            rows = measure(url, pid, args.requests)
            one = throughput(url, args.requests)
            one_wrk = {name: wrk_rps(url, query) for name, query in QUERIES.items()}
            runs.append(("this checkout", rows, floor(stack, url, args.latency, args.rounds)))
        many: dict[str, float] = {}
        many_wrk: dict[str, float | None] = {}
        if args.workers > 1:
            with gateway(stack, args.workers) as (url, _):
                many = throughput(url, args.requests)
                many_wrk = {name: wrk_rps(url, query) for name, query in QUERIES.items()}
    for name, rows, latency_row in runs:
        print(f"{name}:")
        print()
        table(rows, latency_row, args.latency)
        print()
    if all(before_wrk.values()) and all(one_wrk.values()) and before_wrk:
        print("| c=50 from wrk, 1 worker | before rps | this checkout rps | ratio |")
        print("|---|---|---|---|")
        for name in QUERIES:
            a, b = before_wrk[name] or 1.0, one_wrk[name] or 0.0
            print(f"| {name} | {a:.0f} | {b:.0f} | {b / a:.2f} |")
        print()
    if many:
        print(f"| c=50, this checkout | 1 worker rps | {args.workers} workers rps | ratio |")
        print("|---|---|---|---|")
        for name in QUERIES:
            print(f"| {name} | {one[name]:.0f} | {many[name]:.0f} | {many[name] / one[name]:.2f} |")
        if all(many_wrk.values()) and all(one_wrk.values()):
            print()
            print(f"| c=50 from wrk | 1 worker rps | {args.workers} workers rps | ratio |")
            print("|---|---|---|---|")
            for name in QUERIES:
                a, b = one_wrk[name] or 1.0, many_wrk[name] or 0.0
                print(f"| {name} | {a:.0f} | {b:.0f} | {b / a:.2f} |")


if __name__ == "__main__":
    main()
