"""The gateway's own cost: CPU per query, throughput and latency at c=1, 10 and 50, memory, and
latency against the floor that the upstream round trips set.

The gateway runs as a real `timebridge serve` process, so its CPU time (utime + stime from
/proc, its workers included) and RSS are its own. The simulators run in this process, and their
CPU per query is shown beside the gateway's. The clients run in a process of their own
(bench/load_client.py): keep-alive connections, one per client, requests back to back. The
read cache is off and rate limits with it, so every query does its whole work; identical
queries in flight at once still share their upstream reads (coalescing), which is why the
upstream side costs less per query at c=10 and c=50 than at c=1.

One worker against several (`--workers`, 2 by default) is bench/worker_scaling.py's
comparison: both gateways up at once, rounds interleaved, the ratio taken per pair of rounds,
and where the cores went. With Debian's `wrk` installed (`apt-get install wrk`), it is also
made with wrk: a C client leaves the cores to the gateway, where the Python client takes a
share of them at c=50.

`--before DIR` measures a gateway from another checkout first (e.g. a clone of an earlier
commit, with its own `.venv`): this machine's speed varies by a factor of two from hour to
hour, so only figures from one run compare.

The last table holds the performance issue's targets against this run (bench/targets.py). With
`--issue-main DIR`, a checkout of the main the issue measured (12f8602, with its own `.venv`),
that main is measured before and after this checkout, and the absolute targets are scaled by
how fast this machine runs it against the issue's own figures.

Two queries are measured. The bench query is bench/nested_query.py's (18 people × their week,
180 entries, project and task names, both platforms); the other is `{ __typename }`.

Latency floor: with `--latency` added to every upstream answer, the floor is the number of
dependent round trips × that latency (printed beside p50 ÷ the 2 round trips the performance
issue's target names). The round trips are read from the simulators' request
logs: a wave is the set of upstream calls that started before the previous wave's first one
ended. The naive baseline (a client fetching per person) is measured in the same run.

    .venv/bin/python -m bench.gateway_cost [--requests 200] [--latency 0.05] [--before DIR]
        [--issue-main DIR]
"""

from __future__ import annotations

import argparse
import statistics
import time
from contextlib import ExitStack
from pathlib import Path

from bench import targets, worker_scaling
from bench.gateway_process import (
    QUERIES,
    cpu_seconds,
    gateway,
    load,
    markdown,
    own_cpu,
    rss_mb,
    wrk_rps,
)
from bench.nested_query import QUERY, baseline
from simulators.traffic import RequestRecord
from tests.stack import Stack, running_stack

# The performance issue's latency target: p50 within 1.15x of 2 dependent round trips.
TARGET_TRIPS = 2


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
    parser.add_argument("--worker-rounds", type=int, default=6, help="pairs of rounds, 1 vs N")
    parser.add_argument(
        "--before", type=Path, help="a checkout (with its .venv) measured first, as the baseline"
    )
    parser.add_argument(
        "--issue-main",
        type=Path,
        help=f"a checkout of {targets.ISSUE_MAIN} (with its .venv): scales the absolute targets",
    )
    args = parser.parse_args()
    anchors: list[targets.Anchor] = []
    runs: list[tuple[str, list[list[str]], list[str]]] = []
    with running_stack() as stack:
        # The simulators' own limits would throttle a throughput test: this measures us.
        for sim in (stack.productive, stack.clockify):
            sim.limiter.windows = []
        before_wrk: dict[str, float | None] = {}
        one_wrk: dict[str, float | None] = {}
        if args.before is not None:
            with gateway(stack, checkout=args.before.resolve()) as (url, pid):
                rows = measure(url, pid, args.requests)
                before_wrk = {name: wrk_rps(url, query) for name, query in QUERIES.items()}
                runs.append(
                    (f"before ({args.before})", rows, floor(stack, url, args.latency, args.rounds))
                )
        with ExitStack() as up:
            issue_main = None
            if args.issue_main is not None:
                issue_main = up.enter_context(gateway(stack, checkout=args.issue_main.resolve()))
                anchors.append(targets.measure_anchor(*issue_main))
            url, pid = up.enter_context(gateway(stack))
            rows = measure(url, pid, args.requests)
            if args.before is not None:
                one_wrk = {name: wrk_rps(url, query) for name, query in QUERIES.items()}
            runs.append(("this checkout", rows, floor(stack, url, args.latency, args.rounds)))
            if issue_main is not None:
                anchors.append(targets.measure_anchor(*issue_main))
        scaling: list[list[str]] = []
        if args.workers > 1:
            scaling = worker_scaling.compare(stack, args.workers, args.worker_rounds, args.requests)
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
    if scaling:
        pairs = args.worker_rounds
        print(f"1 worker against {args.workers}, {pairs} pairs of rounds, alternating:")
        print()
        worker_scaling.print_table(scaling, args.workers)
        print()
    anchor = None
    if anchors:
        # Measured before and after this checkout: the mean of the two weighs a drift alike.
        anchor = targets.Anchor(
            statistics.mean(a.bench_cpu_ms for a in anchors),
            statistics.mean(a.typename_cpu_ms for a in anchors),
        )
    _, rows, latency_row = runs[-1]
    targets.print_targets(rows, latency_row, scaling, anchor)


if __name__ == "__main__":
    main()
