"""The gateway's own cost: CPU per query, throughput and latency at c=1, 10 and 50, memory, and
latency against the floor that the upstream round trips set.

The gateway runs as a real `timebridge serve` process, so its CPU time (utime + stime from
/proc) and RSS are its own. The simulators run in this process. The clients are keep-alive
httpx clients: one connection each, requests back to back.

Two queries are measured. The bench query is bench/nested_query.py's (18 people × their week,
180 entries, project and task names, both platforms); the other is `{ __typename }`.

Latency floor: with `--latency` added to every upstream answer, the floor is the number of
dependent round trips × that latency. The round trips are read from the simulators' request
logs: a wave is the set of upstream calls that started before the previous wave's first one
ended. The naive baseline (a client fetching per person) is measured in the same run.

    .venv/bin/python -m bench.gateway_cost [--requests 200] [--latency 0.05]
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.nested_query import QUERY, baseline
from gateway.demo import simulator_environment
from simulators.traffic import RequestRecord
from tests.stack import Stack, printed_url, running_stack, timebridge

TICK = os.sysconf("SC_CLK_TCK")
QUERIES = {"bench query": QUERY, "{__typename}": "{ __typename }"}


@contextmanager
def gateway(stack: Stack, *extra: str) -> Iterator[tuple[str, int]]:
    env = {
        **os.environ,
        **simulator_environment(stack.demo.productive.url, stack.demo.clockify.url),
        "TIMEBRIDGE_MAX_CLIENT_CONNECTIONS": "500",
        # The gateway's own cost is measured, not its pacing inside the upstream budgets.
        "TIMEBRIDGE_PRODUCTIVE_RATE_LIMITS": "off",
        "TIMEBRIDGE_CLOCKIFY_RATE_LIMITS": "off",
    }
    with timebridge("serve", "--port", "0", *extra, env=env, stop="terminate") as process:
        yield printed_url(process), process.pid


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mb(pid: int, key: str = "VmRSS:") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key):
            return int(line.split()[1]) / 1024
    return 0.0


def load(url: str, query: str, concurrency: int, total: int) -> list[float]:
    """`total` requests from `concurrency` keep-alive clients; their latencies in seconds."""
    latencies: list[float] = []
    lock = threading.Lock()
    per_client = max(1, total // concurrency)

    def client() -> None:
        with httpx.Client(timeout=60) as http:
            for _ in range(per_client):
                started = time.perf_counter()
                answer = http.post(url, json={"query": query})
                elapsed = time.perf_counter() - started
                assert answer.status_code == 200 and "errors" not in answer.json(), answer.text
                with lock:
                    latencies.append(elapsed)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


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


def measure(stack: Stack, url: str, pid: int, requests: int) -> list[list[str]]:
    rows = []
    for name, query in QUERIES.items():
        load(url, query, 1, 5)  # warm: parse caches, connections, imports
        for concurrency in (1, 10, 50):
            count = requests if concurrency > 1 else max(20, requests // 4)
            cpu_before = cpu_seconds(pid)
            started = time.perf_counter()
            latencies = sorted(load(url, query, concurrency, count))
            wall = time.perf_counter() - started
            cpu = (cpu_seconds(pid) - cpu_before) / len(latencies) * 1000
            rows.append(
                [
                    name,
                    f"c={concurrency}",
                    f"{cpu:.1f}",
                    f"{len(latencies) / wall:.0f}",
                    f"{statistics.median(latencies) * 1000:.1f}",
                    f"{latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000:.1f}",
                    f"{rss_mb(pid):.0f}",
                ]
            )
    return rows


def floor(stack: Stack, url: str, latency: float, rounds: int) -> list[str]:
    for sim in (stack.productive, stack.clockify):
        sim.settings.faults.latency = latency
    try:
        times, trips = [], []
        with httpx.Client(timeout=60) as http:
            for _ in range(rounds):
                stack.reset()
                started = time.perf_counter()
                assert "errors" not in http.post(url, json={"query": QUERY}).json()
                times.append(time.perf_counter() - started)
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
        f"{naive * 1000:.0f}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with running_stack() as stack:
        # The simulators' own limits would throttle a throughput test: this measures us.
        for sim in (stack.productive, stack.clockify):
            sim.limiter.windows = []
        with gateway(stack) as (url, pid):
            rows = measure(stack, url, pid, args.requests)
            latency_row = floor(stack, url, args.latency, args.rounds)
    print("| query | clients | gateway CPU ms/query | rps | p50 ms | p99 ms | RSS MB |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    print(
        f"| bench query at {args.latency * 1000:.0f} ms upstream latency | p50 ms | "
        "round trips | floor ms | p50 ÷ floor | naive baseline ms |"
    )
    print("|---|---|---|---|---|---|")
    print("| Timebridge | " + " | ".join(latency_row) + " |")


if __name__ == "__main__":
    main()
