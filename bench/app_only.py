"""The gateway's ASGI app alone: CPU per `{__typename}` request through the middlewares,
strawberry's view and the schema, with no sockets, no HTTP server and no load client in the
way; what is left of a trivial request once uvicorn and the network are taken out.

Each checkout is measured in a process of its own, from its own `.venv` and sources (`--before
DIR` measures an earlier checkout first, in the same run): the app is built over the demo
simulators, warmed, the cyclic collector tuned as `timebridge serve` tunes it, then called
`--requests` times per round. The table shows each round's microseconds per request and their
median. Nothing here asserts a time.

    .venv/bin/python -m bench.app_only [--requests 5000] [--rounds 3] [--before DIR]
"""

from __future__ import annotations

import argparse
import json
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

async def main(requests, rounds):
    with running_stack() as stack:
        app = create_app(demo_settings(stack.demo.productive.url, stack.demo.clockify.url))
        async with app.router.lifespan_context(app):
            for _ in range(500):
                await one(app)
            tune_gc()
            figures = []
            for _ in range(rounds):
                started = time.process_time()
                for _ in range(requests):
                    await one(app)
                figures.append((time.process_time() - started) / requests * 1e6)
    print(json.dumps(figures))

asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
"""


def measure(checkout: Path, requests: int, rounds: int) -> list[float]:
    done = subprocess.run(
        [str(checkout / ".venv/bin/python"), "-c", PROBE, str(requests), str(rounds)],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    figures: list[float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", type=Path, help="a checkout (with its .venv) measured first")
    args = parser.parse_args()
    here = Path(__file__).resolve().parent.parent
    runs = [(f"before ({args.before})", args.before.resolve())] if args.before else []
    runs.append(("this checkout", here))
    print("| `{__typename}`, ASGI app alone | us per request, each round | median |")
    print("|---|---|---|")
    for name, checkout in runs:
        figures = measure(checkout, args.requests, args.rounds)
        rounds = " / ".join(f"{f:.0f}" for f in figures)
        print(f"| {name} | {rounds} | {statistics.median(figures):.0f} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
