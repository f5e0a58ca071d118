"""This checkout against an earlier one, both gateways up at once and taking rounds in turn:
the gateway's CPU per query and its rps, round by round, and their ratio.

bench/gateway_cost.py measures an earlier checkout first and this one after it. On this
machine the speed drifts by a factor of two within minutes, so figures taken a minute apart
say more about the machine than the code. Here both `timebridge serve` processes run on one
simulator stack; each round loads one and then the other (the order flips every round), so
that a drift weighs on both alike, and the ratio is taken within each pair of rounds. The
median ratio, with its quartiles, is the figure to quote.

Measured: the bench query at c=1 (every upstream answer decoded and translated: no identical
query in flight to share it with) and `{__typename}` at c=10, both with the keep-alive client
of bench/load_client.py; with Debian's `wrk`, `{__typename}` rps at c=50 too. Nothing here
asserts a time.

    .venv/bin/python -m bench.paired --before DIR [--rounds 20] [--issue-main]

With `--issue-main` (DIR a checkout of 12f8602, the main the performance issue measured), it
also prints the issue's absolute targets as the shares of that main's CPU per query they
allow, against the ratios measured here (bench/targets.py).
"""

from __future__ import annotations

import argparse
import statistics
from contextlib import ExitStack
from pathlib import Path

from bench import targets
from bench.gateway_process import QUERIES, cpu_seconds, gateway, load, markdown, wrk_rps
from bench.pairs import quartiles
from tests.stack import running_stack

# (query, clients, requests per round); `{__typename}` rounds are long enough for /proc's
# 10 ms CPU ticks to resolve a few percent.
LOADS = (("bench query", 1, 20), ("{__typename}", 10, 1000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="a checkout with its .venv")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--wrk-seconds", type=int, default=4)
    parser.add_argument(
        "--issue-main",
        action="store_true",
        help=f"--before is {targets.ISSUE_MAIN}: also print issue 9's absolute targets as "
        "the shares of its CPU they allow",
    )
    args = parser.parse_args()
    rows = []
    cpu_ratios: dict[str, list[float]] = {}
    with running_stack() as stack, ExitStack() as stop:
        for sim in (stack.productive, stack.clockify):
            sim.limiter.windows = []  # the simulators' own limits would throttle this
        sides = [
            stop.enter_context(gateway(stack, checkout=args.before.resolve())),
            stop.enter_context(gateway(stack)),
        ]
        for name, clients, requests in LOADS:
            for url, _ in sides:
                load(url, QUERIES[name], clients, 30)  # warm: caches, connections
            cpu: list[list[float]] = [[], []]
            rps: list[list[float]] = [[], []]
            for number in range(args.rounds):
                for side in (0, 1) if number % 2 == 0 else (1, 0):
                    url, pid = sides[side]
                    before = cpu_seconds(pid)
                    latencies, wall = load(url, QUERIES[name], clients, requests)
                    cpu[side].append((cpu_seconds(pid) - before) / len(latencies) * 1000)
                    rps[side].append(len(latencies) / wall)
            cpu_ratios[f"{name}, c={clients}"] = [b / a for a, b in zip(*cpu, strict=True)]
            rows.append(
                [
                    f"{name}, c={clients}",
                    "CPU ms/query",
                    f"{statistics.median(cpu[0]):.2f}",
                    f"{statistics.median(cpu[1]):.2f}",
                    quartiles(cpu_ratios[f"{name}, c={clients}"]),
                ]
            )
            rows.append(
                [
                    f"{name}, c={clients}",
                    "rps",
                    f"{statistics.median(rps[0]):.0f}",
                    f"{statistics.median(rps[1]):.0f}",
                    quartiles([b / a for a, b in zip(*rps, strict=True)]),
                ]
            )
        if wrk_rps(sides[0][0], QUERIES["{__typename}"], 1) is not None:
            found: list[list[float]] = [[], []]
            for number in range(max(2, args.rounds // 3)):
                for side in (0, 1) if number % 2 == 0 else (1, 0):
                    figure = wrk_rps(sides[side][0], QUERIES["{__typename}"], args.wrk_seconds)
                    found[side].append(figure or 0.0)
            rows.append(
                [
                    "{__typename}, c=50 from wrk",
                    "rps",
                    f"{statistics.median(found[0]):.0f}",
                    f"{statistics.median(found[1]):.0f}",
                    quartiles([b / a for a, b in zip(*found, strict=True)]),
                ]
            )
    print(f"{args.rounds} rounds, alternating; before = {args.before}")
    print()
    header = ["load", "figure", "before (median)", "this checkout (median)"]
    markdown([*header, "ratio per pair: median (quartiles)"], rows)
    if args.issue_main:
        print()
        targets.print_shares(cpu_ratios)


if __name__ == "__main__":
    main()
