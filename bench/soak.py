"""Soak: many tenants doing mixed reads and keyed writes through faulty upstreams, on each
idempotency store, then a count of everything that went wrong.

Gateways run as real `timebridge serve` processes (one with the memory store; two replicas
sharing Redis, which clients alternate between); the simulators run in this process with the
documented rate limits and these faults on every request: 5 % answered 5xx, 1 % dropped before
the handler, 1 % slower than the gateway's upstream timeout, and 10 % of write answers lost
after the write landed. Every write carries a unique marker, so the simulators' state tells
doubled and lost writes apart from what clients were told.

    .venv/bin/python -m bench.soak [--ops 20000] [--clients 8] [--seconds 900] [--store both]

Bounded: it stops at --ops operations or --seconds, whichever comes first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx

from bench.soak_client import Client, Tally, Tenant
from gateway.demo import simulator_environment
from gateway.servers import BackgroundServers, Listener, bind
from simulators.clockify.app import ClockifySettings, ClockifySimulator
from simulators.clockify.seed import ADMIN_INDEX, WORKSPACE_ID, user_ids
from simulators.clockify.store import object_id
from simulators.faults import FaultSettings
from simulators.productive.app import Grant, ProductiveSettings, ProductiveSimulator
from simulators.productive.seed import ORGANIZATION_ID, person_ids
from tests.stack import ANCHOR, printed_url, timebridge

REDIS = "redis://127.0.0.1:6379/14"
UPSTREAM_TIMEOUT = 1.0
DEADLINE = 10.0


def faults(seed: int) -> FaultSettings:
    return FaultSettings(
        error_rate=0.05,
        drop_rate=0.01,
        slow_rate=0.01,
        slow_delay=UPSTREAM_TIMEOUT + 0.5,
        lost_answer_rate=0.10,
        seed=seed,
    )


def simulators(tenants: int) -> tuple[ProductiveSimulator, ClockifySimulator]:
    people = person_ids()
    grants = {f"soak-token-{i}": Grant(people[0]) for i in range(tenants)}
    admin = object_id("user", ADMIN_INDEX)
    keys = {f"soak-key-{i}": admin for i in range(tenants)}
    productive = ProductiveSimulator(
        ProductiveSettings(anchor=ANCHOR, grants=grants, faults=faults(1))
    )
    clockify = ClockifySimulator(ClockifySettings(anchor=ANCHOR, api_keys=keys, faults=faults(2)))
    return productive, clockify


@contextmanager
def gateway(productive: str, clockify: str, store: str) -> Iterator[tuple[str, int]]:
    """A `timebridge serve` process; yields its GraphQL URL and pid."""
    env = {
        **os.environ,
        **simulator_environment(productive, clockify, credentials=False),
        "TIMEBRIDGE_REQUEST_CREDENTIALS": "true",
        "TIMEBRIDGE_UPSTREAM_TIMEOUT": str(UPSTREAM_TIMEOUT),
        "TIMEBRIDGE_REQUEST_DEADLINE": str(DEADLINE),
        "TIMEBRIDGE_WRITE_SETTLE": "1.0",
        "TIMEBRIDGE_IDEMPOTENCY_STORE": store,
    }
    with timebridge("serve", "--port", "0", env=env, stop="terminate") as process:
        yield printed_url(process), process.pid


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def tenant_of(index: int, url: str) -> Tenant:
    headers = {
        "X-Productive-Token": f"soak-token-{index}",
        "X-Productive-Organization-Id": ORGANIZATION_ID,
        "X-Clockify-Api-Key": f"soak-key-{index}",
        "X-Clockify-Workspace-Id": WORKSPACE_ID,
    }
    people = person_ids()
    users = user_ids()
    probe = httpx.post(
        url,
        json={
            "query": "{ timeEntries(first: 1, filter: {platforms: [PRODUCTIVE]}) "
            "{ edges { node { service { id } } } } }"
        },
        headers={**headers, "X-Productive-Person-Id": people[0]},
        timeout=30,
    ).json()
    service = probe["data"]["timeEntries"]["edges"][0]["node"]["service"]["id"]
    from adapters.base import Platform
    from schema.ids import encode

    return Tenant(
        headers={**headers, "X-Productive-Person-Id": people[index % len(people)]},
        clockify_person=encode("Person", Platform.CLOCKIFY, users[index % len(users)]),
        productive_person=encode("Person", Platform.PRODUCTIVE, people[index % len(people)]),
        service=service,
    )


def run(store: str, ops: int, clients: int, seconds: float) -> dict[str, object]:
    productive, clockify = simulators(clients)
    p_listener, c_listener = Listener(productive.app, bind()), Listener(clockify.app, bind())
    replicas = 2 if store.startswith("redis") else 1
    if replicas == 2:
        import redis

        redis.Redis.from_url(store).flushdb()
    with ExitStack() as stack:
        # The simulators' own dropped connections are faults we inject, not news.
        stack.enter_context(BackgroundServers([p_listener, c_listener], log_level="critical"))
        gateways = [
            stack.enter_context(gateway(p_listener.url, c_listener.url, store))
            for _ in range(replicas)
        ]
        urls = [u for u, _ in gateways]
        # Seed reads before faults count: the service id each tenant tracks on.
        saved = productive.settings.faults.error_rate, clockify.settings.faults.error_rate
        for sim in (productive, clockify):
            sim.settings.faults.error_rate = 0.0
        tenants = []
        for i in range(clients):
            for _ in range(5):
                try:
                    tenants.append(tenant_of(i, urls[0]))
                    break
                except (KeyError, TypeError, httpx.HTTPError):
                    continue
        productive.settings.faults.error_rate, clockify.settings.faults.error_rate = saved
        tallies = [Tally() for _ in tenants]
        workers = [
            Client(urls, t, seed=i, deadline=DEADLINE, tally=tallies[i])
            for i, t in enumerate(tenants)
        ]
        stop_at = time.monotonic() + seconds
        per_client = ops // len(workers)

        def loop(client: Client) -> None:
            while client.tally.ops < per_client and time.monotonic() < stop_at:
                client.step()
            client.close()

        started = time.monotonic()
        threads = [threading.Thread(target=loop, args=(w,)) for w in workers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - started
        rss = max(peak_rss_mb(pid) for _, pid in gateways)
    return verdict(store, tallies, productive, clockify, wall, rss)


def verdict(
    store: str,
    tallies: list[Tally],
    productive: ProductiveSimulator,
    clockify: ClockifySimulator,
    wall: float,
    rss: float,
) -> dict[str, object]:
    notes = Counter(
        str(r.attributes.get("note"))
        for r in productive.store.all("time_entries")
        if str(r.attributes.get("note") or "").startswith("soak-")
    )
    notes.update(
        e.description
        for e in clockify.workspace.entries.values()
        if e.description.startswith("soak-")
    )
    created = {m: p for t in tallies for m, p in t.created.items()}
    latencies = sorted(x for t in tallies for x in t.latencies)
    read_errors: Counter[str] = Counter()
    for t in tallies:
        read_errors.update(t.read_errors)
    return {
        "store": "memory, 1 replica" if store == "memory" else "Redis, 2 replicas",
        "operations": sum(t.ops for t in tallies),
        "wall s": round(wall, 1),
        "gateway 5xx": sum(t.status_5xx for t in tallies),
        "non-JSON answers": sum(t.non_json for t in tallies),
        "doubled writes": sum(1 for n in notes.values() if n > 1),
        "lost writes": sum(1 for m in created if notes.get(m, 0) == 0),
        "wrong UNKNOWN_OUTCOME": sum(t.left_unknown for t in tallies),
        "wrong NOT_RUNNING": sum(t.wrong_not_running for t in tallies),
        "answers over the deadline": sum(t.over_deadline for t in tallies),
        "peak RSS MB": round(rss, 1),
        "UNKNOWN_OUTCOME then retried": sum(t.unknown_answers for t in tallies),
        "writes confirmed": len(created),
        "p50 / p99 ms": (
            f"{statistics.median(latencies) * 1000:.0f} / "
            f"{latencies[int(len(latencies) * 0.99)] * 1000:.0f}"
            if latencies
            else "-"
        ),
        "read errors": dict(read_errors) or "-",
        "upstream calls P / C": f"{len(productive.log.records)} / {len(clockify.log.records)}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=900.0)
    parser.add_argument("--store", choices=["memory", "redis", "both"], default="both")
    args = parser.parse_args()
    stores = {"memory": ["memory"], "redis": [REDIS], "both": ["memory", REDIS]}[args.store]
    results = [run(s, args.ops, args.clients, args.seconds) for s in stores]
    names = list(results[0])
    print(f"| {'':30} | " + " | ".join(str(r["store"])[:24] for r in results) + " |")
    print("|" + "---|" * (len(results) + 1))
    for name in names[1:]:
        print(f"| {name:30} | " + " | ".join(str(r[name]) for r in results) + " |")


if __name__ == "__main__":
    main()
