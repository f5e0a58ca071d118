"""Live updates (issue 14): how fast a change reaches subscribers, and what 1,000 of them cost
one gateway worker.

The gateway runs as a real `timebridge serve` process (one worker) in front of the simulators,
registered for Clockify's webhooks; subscribers are graphql-transport-ws clients (Python
`websockets`) in this process. It measures, in one run:

- change -> message latency, p50/p99 over every subscriber: a timer started through the
  gateway (mutation path), one started in Clockify itself (webhook path), and one started in
  Productive itself (poll path, `--poll-interval`);
- the baseline a frontend has without subscriptions: polling `timers(filter: {running: true})`
  every `--client-poll` seconds, measured the same way, with the upstream calls it costs;
- 1,000 concurrent subscribers: the worker's memory and CPU, idle and while changes flow, and
  Productive timer polls per interval (one poller for them all).

    .venv/bin/python -m bench.live_events [--subscribers 1000] [--rounds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import websockets

from gateway.demo import simulator_environment
from gateway.servers import BackgroundServers, Listener, bind
from simulators.clockify.app import DEMO_KEY, ClockifySettings, ClockifySimulator
from simulators.clockify.seed import WORKSPACE_ID
from simulators.productive.app import DEMO_TOKEN, ProductiveSettings, ProductiveSimulator
from simulators.productive.seed import ORGANIZATION_ID
from tests.stack import ANCHOR, printed_url, timebridge

SUBSCRIPTION = "subscription { timerChanged { kind timerId timer { running } } }"
RUNNING = "{ timers(first: 50, filter: {running: true}) { edges { node { id } } } }"
CLOCKIFY_EVENTS = ("NEW_TIMER_STARTED", "TIMER_STOPPED")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def proc_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Stack:
    url: str  # the gateway's GraphQL URL
    pid: int
    productive: ProductiveSimulator
    clockify: ClockifySimulator
    productive_api: str
    clockify_api: str


@contextmanager
def stack(poll_interval: float) -> Iterator[Stack]:
    productive = ProductiveSimulator(ProductiveSettings(anchor=ANCHOR, limits=()))
    clockify = ClockifySimulator(ClockifySettings(anchor=ANCHOR, limits=()))
    p_listener, c_listener = Listener(productive.app, bind()), Listener(clockify.app, bind())
    with BackgroundServers([p_listener, c_listener], log_level="critical"):
        port = free_port()
        tokens = []
        for event in CLOCKIFY_EVENTS:
            hook = httpx.post(
                f"{c_listener.url}/api/v1/workspaces/{WORKSPACE_ID}/webhooks",
                headers={"X-Api-Key": DEMO_KEY},
                json={
                    "name": f"bench {event}"[:30],
                    "url": f"http://127.0.0.1:{port}/webhooks/clockify/{event}",
                    "webhookEvent": event,
                    "triggerSourceType": "WORKSPACE_ID",
                    "triggerSource": [WORKSPACE_ID],
                },
            ).json()
            tokens.append(hook["authToken"])
        env = {
            **os.environ,
            **simulator_environment(p_listener.url, c_listener.url),
            "CLOCKIFY_WEBHOOK_TOKENS": ",".join(tokens),
            "TIMEBRIDGE_TIMER_POLL_INTERVAL": str(poll_interval),
            "TIMEBRIDGE_PRODUCTIVE_RATE_LIMITS": "off",
            "TIMEBRIDGE_CLOCKIFY_RATE_LIMITS": "off",
            "TIMEBRIDGE_READ_CACHE": "off",
            "TIMEBRIDGE_REPORT_INTERVAL": "0",
            # Each subscriber holds a connection: room for them and the bench's own clients.
            "TIMEBRIDGE_MAX_CLIENT_CONNECTIONS": "5000",
        }
        with timebridge("serve", "--port", str(port), env=env, stop="terminate") as gateway:
            yield Stack(
                printed_url(gateway),
                gateway.pid,
                productive,
                clockify,
                f"{p_listener.url}/api/v2",
                f"{c_listener.url}/api/v1",
            )


async def open_subscriber(url: str) -> Any:
    ws = await websockets.connect(
        url.replace("http://", "ws://"), subprotocols=["graphql-transport-ws"], max_queue=None
    )
    await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}}))
    return ws


async def until_counted(url: str, count: int) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            text = (await client.get(url.replace("/graphql", "/metrics"))).text
            line = next(
                (x for x in text.splitlines() if x.startswith("timebridge_subscribers ")), ""
            )
            if line and float(line.split()[1]) >= count:
                return
        raise TimeoutError("the gateway never counted every subscriber")


async def next_change(ws: Any, kind: str) -> float:
    while True:
        message = json.loads(await ws.recv())
        if message.get("type") == "next":
            change = message["payload"]["data"]["timerChanged"]
            if change["kind"] == kind:
                return time.perf_counter()


async def round_trip(subscribers: list[Any], start: Any, kind: str = "STARTED") -> list[float]:
    """Latency from `start()` (the change upstream) to each subscriber's message, in ms."""
    waiting = [asyncio.ensure_future(next_change(ws, kind)) for ws in subscribers]
    began = time.perf_counter()
    await start()
    done = await asyncio.wait_for(asyncio.gather(*waiting), 60)
    return [(t - began) * 1000 for t in done]


async def client_polling(url: str, clients: int, interval: float, start: Any) -> list[float]:
    """Today's way: clients polling the running timers; latency to the poll that shows it."""
    async with httpx.AsyncClient(timeout=30) as http:
        before = await http.post(url, json={"query": RUNNING})
        known = {e["node"]["id"] for e in before.json()["data"]["timers"]["edges"]}

        async def poller(offset: float, began: float) -> float:
            await asyncio.sleep(offset)  # clients poll out of step, as real ones do
            while True:
                answer = await http.post(url, json={"query": RUNNING})
                now = {e["node"]["id"] for e in answer.json()["data"]["timers"]["edges"]}
                if now - known:
                    return (time.perf_counter() - began) * 1000
                await asyncio.sleep(interval)  # the client's poll interval

        began = time.perf_counter()
        tasks = [
            asyncio.ensure_future(poller(interval * i / clients, began)) for i in range(clients)
        ]
        await start()
        return list(await asyncio.wait_for(asyncio.gather(*tasks), 120))


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)]
    return f"{statistics.median(ordered):.0f} / {p99:.0f}"


async def run(args: argparse.Namespace) -> None:
    with stack(args.poll_interval) as live:
        url, pid, productive, clockify = live.url, live.pid, live.productive, live.clockify
        rss_before = proc_rss_mb(pid)
        subscribers = [await open_subscriber(url) for _ in range(args.subscribers)]
        await until_counted(url, args.subscribers)
        rss_with = proc_rss_mb(pid)
        cpu0, polls0, t0 = proc_cpu(pid), productive.log.count("GET", "/timers"), time.monotonic()
        await asyncio.sleep(args.idle)  # the idle window measured, not a wait for an event
        idle_cpu = (proc_cpu(pid) - cpu0) / (time.monotonic() - t0)
        polls = (productive.log.count("GET", "/timers") - polls0) / (
            (time.monotonic() - t0) / args.poll_interval
        )
        rows: dict[str, list[float]] = {"mutation": [], "webhook": [], "poll": []}
        cpu1, t1 = proc_cpu(pid), time.monotonic()
        async with httpx.AsyncClient(timeout=30) as http:
            for i in range(args.rounds):

                async def by_mutation(i: int = i) -> None:
                    query = (
                        "mutation($n: String!) { switchTimer(input: {platform: CLOCKIFY, "
                        "note: $n}) { timer { id } } }"
                    )
                    await http.post(url, json={"query": query, "variables": {"n": f"m{i}"}})

                async def in_clockify(i: int = i) -> None:
                    await http.post(
                        f"{live.clockify_api}/workspaces/{WORKSPACE_ID}/time-entries",
                        headers={"X-Api-Key": DEMO_KEY},
                        json={"start": "2026-12-01T09:00:00Z", "description": f"c{i}"},
                    )

                rows["mutation"] += await round_trip(subscribers, by_mutation)
                rows["webhook"] += await round_trip(subscribers, in_clockify)
        busy_cpu = (proc_cpu(pid) - cpu1) / (time.monotonic() - t1)
        async with httpx.AsyncClient(timeout=30) as http:
            for _ in range(min(args.rounds, 5)):
                entry = next(
                    e.id
                    for e in productive.store.all("time_entries")
                    if not any(
                        t.ref_id("time_entry") == e.id and not t.attributes["stopped_at"]
                        for t in productive.store.all("timers")
                    )
                )

                async def in_productive(entry: str = entry) -> None:
                    await http.post(
                        f"{live.productive_api}/timers",
                        headers={
                            "X-Auth-Token": DEMO_TOKEN,
                            "X-Organization-Id": ORGANIZATION_ID,
                            "Content-Type": "application/vnd.api+json",
                        },
                        content=json.dumps(
                            {
                                "data": {
                                    "type": "timers",
                                    "attributes": {},
                                    "relationships": {
                                        "time_entry": {
                                            "data": {"type": "time_entries", "id": entry}
                                        }
                                    },
                                }
                            }
                        ),
                    )

                rows["poll"] += await round_trip(subscribers, in_productive)
        for ws in subscribers:
            await ws.close()

        async def in_clockify_again() -> None:
            async with httpx.AsyncClient(timeout=30) as http:
                await http.post(
                    f"{live.clockify_api}/workspaces/{WORKSPACE_ID}/time-entries",
                    headers={"X-Api-Key": DEMO_KEY},
                    json={"start": "2026-12-01T09:00:00Z", "description": "polled"},
                )

        calls0 = len(clockify.log.records) + len(productive.log.records)
        baseline = await client_polling(url, args.pollers, args.client_poll, in_clockify_again)
        calls = len(clockify.log.records) + len(productive.log.records) - calls0
    print(f"\n{args.subscribers} subscribers on one worker; {args.rounds} rounds per path\n")
    print("| path | change -> message p50 / p99 ms | samples |")
    print("|---|---|---|")
    print(
        f"| baseline: {args.pollers} clients polling every {args.client_poll:g} s "
        f"| {percentiles(baseline)} | {len(baseline)} |"
    )
    for name, label in (
        ("mutation", "a mutation through the gateway"),
        ("webhook", "a timer started in Clockify (webhook)"),
        ("poll", f"a timer started in Productive (poll every {args.poll_interval:g} s)"),
    ):
        print(f"| {label} | {percentiles(rows[name])} | {len(rows[name])} |")
    print(f"\n| {args.subscribers} subscribers | value |\n|---|---|")
    print(f"| worker RSS before / with them | {rss_before:.0f} / {rss_with:.0f} MiB |")
    print(f"| worker CPU idle / while changes flow | {idle_cpu:.1%} / {busy_cpu:.1%} of a core |")
    print(f"| Productive timer polls per interval | {polls:.2f} |")
    print(f"| upstream calls of the polling baseline (one change) | {calls} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--poll-interval", type=float, default=2.0)
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle measured")
    parser.add_argument("--pollers", type=int, default=50)
    parser.add_argument("--client-poll", type=float, default=10.0)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
