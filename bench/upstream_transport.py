"""CPU per upstream call, by transport: httpx over httpcore (h11 and anyio, httpx's own) and
httpx over aiohttp (gateway/upstream_transport.py), each built by the gateway's own
`http_client`, calling the Productive simulator.

The simulator runs in a process of its own (this script, started with `--serve`), its rate
limits off, so this process's CPU is the client's alone. Two calls are measured: a small page
(one person, ~1 KB) and the bench query's entries page (90 entries with what they include,
~160 KB). Rounds alternate between the transports, and the ratio is taken per pair of
rounds, since this machine's speed drifts within minutes.

    .venv/bin/python -m bench.upstream_transport [--calls 300] [--rounds 10]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys

from adapters.productive.client import MEDIA_TYPE
from bench.gateway_process import markdown
from bench.pairs import quartiles
from gateway.config import Settings
from gateway.event_loop import run
from simulators.productive.app import DEMO_TOKEN
from simulators.productive.seed import ORGANIZATION_ID

CALLS = {
    "one person": ("/people", {"page[size]": "1"}),
    "90 entries with includes": (
        "/time_entries",
        {"include": "person,service.deal.project,task", "page[size]": "90"},
    ),
}
TRANSPORTS = ("httpcore", "aiohttp")


def serve() -> None:
    from gateway.servers import Listener, bind, serve
    from simulators.productive.app import ProductiveSimulator

    simulator = ProductiveSimulator()
    simulator.limiter.windows = []  # this measures the client, not the simulator's limits
    listener = Listener(simulator.app, bind("127.0.0.1", 0))
    print(f"{listener.url}/api/v2", flush=True)
    run(serve([listener]), "auto")


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def measure(base: str, calls: int, rounds: int) -> dict[tuple[str, str], list[float]]:
    """Microseconds of this process's CPU per call, per (call, transport), a figure a round."""
    from gateway.app import http_client

    headers = {
        "X-Auth-Token": DEMO_TOKEN,
        "X-Organization-Id": ORGANIZATION_ID,
        "Content-Type": MEDIA_TYPE,
    }
    clients = {t: http_client(Settings().with_overrides(upstream_transport=t)) for t in TRANSPORTS}
    figures: dict[tuple[str, str], list[float]] = {(c, t): [] for c in CALLS for t in TRANSPORTS}
    try:
        for _ in range(rounds):
            for name, (path, params) in CALLS.items():
                for transport, client in clients.items():
                    for _ in range(20):  # warm: connections, the simulator's caches
                        await client.get(base + path, params=params, headers=headers)
                    started = cpu()
                    for _ in range(calls):
                        answer = await client.get(base + path, params=params, headers=headers)
                        assert answer.status_code == 200, answer.text
                    figures[(name, transport)].append((cpu() - started) / calls * 1e6)
    finally:
        for client in clients.values():
            await client.aclose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve()
        return
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.upstream_transport", "--serve"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        base = server.stdout.readline().strip()
        figures: dict[tuple[str, str], list[float]] = {}

        async def measured() -> None:
            figures.update(await measure(base, args.calls, args.rounds))

        run(measured(), "auto")
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = []
    for name in CALLS:
        before, after = figures[(name, "httpcore")], figures[(name, "aiohttp")]
        ratios = [new / old for old, new in zip(before, after, strict=True)]
        rows.append(
            [
                name,
                f"{statistics.median(before):.0f}",
                f"{statistics.median(after):.0f}",
                quartiles(ratios),
            ]
        )
    print(f"{args.rounds} rounds of {args.calls} calls, alternating\n")
    header = ["call", "httpcore us/call", "aiohttp us/call", "ratio per pair: median (quartiles)"]
    markdown(header, rows)


if __name__ == "__main__":
    main()
