"""The gateway's ASGI app alone: CPU per `{__typename}` request through the middlewares,
strawberry's view and the schema, with no sockets, no HTTP server and no load client in the
way; what is left of a trivial request once uvicorn and the network are taken out.

Each checkout is measured in a process of its own, from its own `.venv` and sources (`--before
DIR` measures an earlier checkout first, in the same run): the app is built over the demo
simulators, warmed, the cyclic collector tuned as `timebridge serve` tunes it, then called
`--requests` times per round. With `--before`, both checkouts' processes stay up and take
rounds in turn. The table shows each round's microseconds per request and their median, and
the round-by-round ratio. Nothing here asserts a time.

    .venv/bin/python -m bench.app_only [--requests 5000] [--rounds 10] [--before DIR]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

# Run inside the checkout measured, with its interpreter: it imports that checkout's code.
PROBE = """
import asyncio, json, sys, time
from gateway.app import create_app
from gateway.demo import demo_settings
from gateway.servers import tune_gc
from tests.stack import running_stack

BODY = b'{"query": "{ __typename }"}'
SCOPE = {
    "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
    "scheme": "http", "path": "/graphql", "raw_path": b"/graphql", "query_string": b"",
    "root_path": "", "client": ("127.0.0.1", 5000), "server": ("127.0.0.1", 4000),
    "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
                (b"content-length", str(len(BODY)).encode())],
}

async def one(app):
    sent = []
    async def receive():
        return {"type": "http.request", "body": BODY, "more_body": False}
    async def send(message):
        sent.append(message)
    await app({**SCOPE, "state": {}}, receive, send)
    assert sent[0]["status"] == 200, sent

async def main(requests):
    with running_stack() as stack:
        app = create_app(demo_settings(stack.demo.productive.url, stack.demo.clockify.url))
        async with app.router.lifespan_context(app):
            for _ in range(500):
                await one(app)
            tune_gc()
            print("ready", flush=True)
            for _ in sys.stdin:  # one line: one round
                started = time.process_time()
                for _ in range(requests):
                    await one(app)
                print((time.process_time() - started) / requests * 1e6, flush=True)

asyncio.run(main(int(sys.argv[1])))
"""


def probe(checkout: Path, requests: int) -> subprocess.Popen[str]:
    """A probe process in `checkout`, warmed and waiting for rounds."""
    process = subprocess.Popen(
        [str(checkout / ".venv/bin/python"), "-c", PROBE, str(requests)],
        cwd=checkout,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    if process.stdout.readline().strip() != "ready":
        raise RuntimeError(process.communicate(timeout=60)[1][-2000:])
    return process


def one_round(process: subprocess.Popen[str]) -> float:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("round\n")
    process.stdin.flush()
    return float(process.stdout.readline())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--before", type=Path, help="a checkout (with its .venv) measured first")
    args = parser.parse_args()
    here = Path(__file__).resolve().parent.parent
    runs = [(f"before ({args.before})", args.before.resolve())] if args.before else []
    runs.append(("this checkout", here))
    probes = [probe(checkout, args.requests) for _, checkout in runs]
    figures: list[list[float]] = [[] for _ in runs]
    try:
        # Rounds alternate between the checkouts, first one then the other, so that a
        # machine slowing down or speeding up meanwhile weighs on both alike.
        for number in range(args.rounds):
            order = list(range(len(runs)))
            for index in order if number % 2 == 0 else order[::-1]:
                figures[index].append(one_round(probes[index]))
    finally:
        for process in probes:
            process.communicate(timeout=60)
    print("| `{__typename}`, ASGI app alone | us per request, each round | median |")
    print("|---|---|---|")
    for (name, _), found in zip(runs, figures, strict=True):
        rounds = " / ".join(f"{f:.0f}" for f in found)
        print(f"| {name} | {rounds} | {statistics.median(found):.0f} |")
    if len(runs) == 2:
        paired = [after / before for before, after in zip(*figures, strict=True)]
        print(f"\nthis checkout ÷ before, round by round: median {statistics.median(paired):.3f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
