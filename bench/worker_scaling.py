"""One worker against several on one machine, in interleaved rounds, and where the cores went.

This machine's speed drifts. On 2026-12-06, one worker's rps on the bench query at c=50 (from
wrk) read 43, 28, 32, 45, 44 and 49 in rounds a minute apart. A ratio of two figures taken
minutes apart, as bench/gateway_cost.py printed until then, measured that drift as much as the
workers. Here both gateways are up at once on one simulator stack. Each round loads one and
then the other (the order flips every round), and the ratio is taken within each pair of
rounds: the median, with its quartiles, is the figure to quote.

Each row also says where the machine's cores went while the several workers were loaded,
read from /proc: the gateway's processes, the simulators (this process; they stand in for
upstream servers, which would not share the gateway's machine), and the rest (the load
client, the kernel, Redis). On two cores, whatever the simulators and the client take is a
share the second worker cannot have, so the ratio's ceiling is the gateway's cores.

Both queries at c=50: from bench/load_client.py's keep-alive clients and, with Debian's `wrk`
installed, from wrk.

    .venv/bin/python -m bench.worker_scaling [--workers 2] [--rounds 6]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from bench.gateway_process import QUERIES, cpu_seconds, gateway, load, markdown, own_cpu, wrk_run
from bench.pairs import quartiles
from tests.stack import Stack, running_stack

CLIENTS = 50


@dataclass(frozen=True)
class Round:
    """One load on one gateway: its rps, the gateway's CPU per query, and the cores each part
    of the machine used. The cores are taken over the whole round, a Python client's start
    included (the gateway idles through it), so wrk's rows show the split more exactly."""

    rps: float
    gateway_ms_per_query: float
    gateway_cores: float
    simulator_cores: float
    busy_cores: float  # the whole machine's


def _machine_ticks() -> tuple[int, int]:
    """Busy and total CPU ticks of the whole machine (/proc/stat's first line)."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = fields[3] + fields[4]  # idle and iowait
    return sum(fields) - idle, sum(fields)


def measured(pid: int, run: Callable[[], tuple[int, float]]) -> Round:
    """Run one load (returning its requests and rps) and read the cores used while it ran."""
    gateway_before, simulators_before = cpu_seconds(pid), own_cpu()
    busy_before, total_before = _machine_ticks()
    started = time.perf_counter()
    requests, rps = run()
    wall = time.perf_counter() - started
    gateway_cpu = cpu_seconds(pid) - gateway_before
    busy, total = _machine_ticks()
    share = (busy - busy_before) / max(1, total - total_before)
    return Round(
        rps=rps,
        gateway_ms_per_query=gateway_cpu / max(1, requests) * 1000,
        gateway_cores=gateway_cpu / wall,
        simulator_cores=(own_cpu() - simulators_before) / wall,
        busy_cores=share * (os.cpu_count() or 1),
    )


Load = Callable[[str], tuple[int, float]]  # url -> (requests answered, rps)


def _loads(query: str, requests: int, wrk_seconds: int) -> list[tuple[str, Load]]:
    def python_client(url: str) -> tuple[int, float]:
        latencies, wall = load(url, query, CLIENTS, requests)
        return len(latencies), len(latencies) / wall

    def wrk(url: str) -> tuple[int, float]:
        return wrk_run(url, query, wrk_seconds, warm=False) or (0, 0.0)

    found: list[tuple[str, Load]] = [("keep-alive clients", python_client)]
    if shutil.which("wrk") is not None:
        found.append(("wrk", wrk))
    return found


def compare(
    stack: Stack, workers: int, rounds: int, requests: int, wrk_seconds: int = 4
) -> list[list[str]]:
    """Table rows: one worker against `workers`, for each query and client."""
    rows = []
    with ExitStack() as stop:
        sides = [stop.enter_context(gateway(stack)), stop.enter_context(gateway(stack, workers))]
        for name, query in QUERIES.items():
            count = requests * (10 if name == "{__typename}" else 1)
            for client, run in _loads(query, count, wrk_seconds):
                for url, _ in sides:
                    load(url, query, CLIENTS, 100)  # warm: caches, connections to upstream
                found: list[list[Round]] = [[], []]
                for number in range(rounds):
                    for side in (0, 1) if number % 2 == 0 else (1, 0):
                        url, pid = sides[side]
                        found[side].append(measured(pid, partial(run, url)))
                rows.append(_row(name, client, found))
    return rows


def _row(name: str, client: str, found: list[list[Round]]) -> list[str]:
    one, many = found

    def median(rounds: list[Round], figure: Callable[[Round], float]) -> float:
        return statistics.median(figure(r) for r in rounds)

    gateway_cores = median(many, lambda r: r.gateway_cores)
    simulator_cores = median(many, lambda r: r.simulator_cores)
    rest = median(many, lambda r: r.busy_cores - r.gateway_cores - r.simulator_cores)
    return [
        name,
        client,
        f"{median(one, lambda r: r.rps):.0f}",
        f"{median(many, lambda r: r.rps):.0f}",
        quartiles([b.rps / a.rps for a, b in zip(one, many, strict=True)]),
        f"{median(one, lambda r: r.gateway_ms_per_query):.2f} / "
        f"{median(many, lambda r: r.gateway_ms_per_query):.2f}",
        f"{median(one, lambda r: r.gateway_cores):.2f}",
        f"{gateway_cores:.2f} / {simulator_cores:.2f} / {max(0.0, rest):.2f}",
    ]


def print_table(rows: list[list[str]], workers: int) -> None:
    header = [
        f"c={CLIENTS}",
        "client",
        "1 worker rps",
        f"{workers} workers rps",
        "ratio per pair: median (quartiles)",
        f"gateway CPU ms/query, 1 / {workers} workers",
        "1 worker: gateway cores",
        f"{workers} workers: gateway / simulators / other cores",
    ]
    markdown(header, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--requests", type=int, default=200, help="per round (x10 for typename)")
    parser.add_argument("--wrk-seconds", type=int, default=4)
    args = parser.parse_args()
    with running_stack() as stack:
        for sim in (stack.productive, stack.clockify):
            sim.limiter.windows = []  # the simulators' own limits would throttle this
        rows = compare(stack, args.workers, args.rounds, args.requests, args.wrk_seconds)
    print(f"{args.rounds} rounds, alternating, on {os.cpu_count()} cores")
    print()
    print_table(rows, args.workers)


if __name__ == "__main__":
    main()
