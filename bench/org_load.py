"""A whole organisation inside the upstream rate limits (issue 13): 200 people, each loading
their own week (both tools, with project and task names) every 30 s for 10 minutes, through
one server token, against the simulators with the documented rate limits on.

Three runs, in this order, each on fresh simulators:
- baseline: what the gateway did before issue 13 (no pacing, no read cache; sharing reads in
  flight is not a setting and stays on);
- paced and cached, 1 replica (memory stores);
- paced and cached, 2 replicas sharing Redis (budget and cache); clients alternate.

The clock is scaled: with `--scale 5` every period, window and TTL is a fifth as long, so a
10-minute run takes 2. The rate limits scale with it (Productive's 100 per 10 s becomes 100
per 2 s, its 4,000 per 30 min 4,000 per 6 min; Clockify's 50/s becomes 250/s), so the load
stands in the same proportion to every limit as in real time.

    .venv/bin/python -m bench.org_load [--people 200] [--minutes 10] [--scale 5]
        [--ttl 15] [--max-age 3600]

It prints, per run: the share of reads answered complete, upstream calls per read, upstream
429s (all, and after the first period), p50/p99 latency, and the busiest window of each
Productive limit beside the limit itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

import httpx

from adapters.base import Platform
from gateway.demo import simulator_environment
from gateway.servers import BackgroundServers, Listener, bind
from schema.ids import encode
from simulators.clockify.app import ClockifySettings, ClockifySimulator
from simulators.clockify.seed import user_ids
from simulators.productive.app import ProductiveSettings, ProductiveSimulator
from simulators.productive.seed import person_ids
from simulators.roster import team
from simulators.traffic import Window
from tests.stack import ANCHOR, printed_url, timebridge

REDIS = "redis://127.0.0.1:6379/13"
WEEK = """query Week($ids: [ID!]) { timeEntries(first: 100, filter: {personIds: $ids,
  dateRange: {start: "%s", end: "%s"}}) { totalCount
  edges { node { id date durationMinutes note project { name } task { name } } } } }"""


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    complete: int = 0
    reads: int = 0
    failures: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Run:
    name: str
    replicas: int
    paced: bool


RUNS = (
    Run("baseline: no pacing, no cache", 1, False),
    Run("paced + cached, 1 replica", 1, True),
    Run("paced + cached, 2 replicas on Redis", 2, True),
)


def simulators(people: int, scale: int) -> tuple[ProductiveSimulator, ClockifySimulator]:
    productive = ProductiveSimulator(
        ProductiveSettings(
            anchor=ANCHOR,
            team_size=people,
            limits=(Window(100, 10 / scale), Window(4000, 1800 / scale)),
        )
    )
    clockify = ClockifySimulator(
        ClockifySettings(anchor=ANCHOR, team_size=people, limits=(Window(50 * scale, 1.0),))
    )
    return productive, clockify


def gateway_env(
    urls: tuple[str, str], run: Run, scale: int, ttl: float, max_age: float
) -> dict[str, str]:
    env = {**os.environ, **simulator_environment(*urls), "TIMEBRIDGE_REPORT_INTERVAL": "0"}
    if not run.paced:
        env.update(
            TIMEBRIDGE_PRODUCTIVE_RATE_LIMITS="off",
            TIMEBRIDGE_CLOCKIFY_RATE_LIMITS="off",
            TIMEBRIDGE_READ_CACHE="off",
        )
        return env
    minutes = 30 // scale if 30 % scale == 0 else None
    long_window = f"{minutes} minutes" if minutes else f"{1800 // scale} seconds"
    env.update(
        TIMEBRIDGE_PRODUCTIVE_RATE_LIMITS=f"100/{10 // scale} seconds;4000/{long_window}",
        TIMEBRIDGE_CLOCKIFY_RATE_LIMITS=f"{50 * scale}/1 second",
        TIMEBRIDGE_READ_CACHE_TTL=str(ttl / scale),
        TIMEBRIDGE_READ_CACHE_MAX_AGE=str(max_age / scale),
        TIMEBRIDGE_READ_CACHE_REFERENCE_TTL=str(120 / scale),
    )
    if run.replicas > 1:
        env.update(TIMEBRIDGE_RATE_LIMIT_STORE=REDIS, TIMEBRIDGE_READ_CACHE=REDIS)
    return env


@contextmanager
def gateways(env: dict[str, str], replicas: int) -> Iterator[list[str]]:
    with ExitStack() as stack:
        urls = [
            printed_url(stack.enter_context(timebridge("serve", "--port", "0", env=env)))
            for _ in range(replicas)
        ]
        yield urls


async def person(
    client: httpx.AsyncClient,
    url: str,
    ids: list[str],
    period: float,
    until: float,
    tally: Tally,
    rng: random.Random,
) -> None:
    """One person's frontend: their week at a random offset, then once every period."""
    week = ANCHOR.isoformat(), (ANCHOR + timedelta(days=4)).isoformat()
    query = WEEK % week
    await asyncio.sleep(rng.uniform(0, period))
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            response = await client.post(url, json={"query": query, "variables": {"ids": ids}})
            body = response.json()
            tally.latencies.append(time.perf_counter() - started)
            tally.reads += 1
            if response.status_code == 200 and not body.get("errors"):
                tally.complete += 1
            else:
                for error in body.get("errors") or [{"extensions": {"code": "HTTP"}}]:
                    code = str((error.get("extensions") or {}).get("code"))
                    tally.failures[code] = tally.failures.get(code, 0) + 1
        except (httpx.HTTPError, ValueError) as error:
            tally.reads += 1
            name = type(error).__name__
            tally.failures[name] = tally.failures.get(name, 0) + 1
        await asyncio.sleep(max(0.0, period - (time.perf_counter() - started)))


async def load(urls: list[str], people: int, period: float, seconds: float) -> Tally:
    members = team(people)
    productive, clockify = person_ids(members), user_ids(members)
    pairs = list(zip(productive, clockify, strict=False))
    tally = Tally()
    rng = random.Random(7)
    until = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=people, max_keepalive_connections=people)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        await asyncio.gather(
            *(
                person(
                    client,
                    f"{urls[i % len(urls)]}",
                    [
                        encode("Person", Platform.PRODUCTIVE, p),
                        encode("Person", Platform.CLOCKIFY, c),
                    ],
                    period,
                    until,
                    tally,
                    rng,
                )
                for i, (p, c) in enumerate(pairs[:people])
            )
        )
    return tally


def busiest(times: list[float], window: float) -> int:
    """The most requests any `window` seconds of the log held."""
    times, most, start = sorted(times), 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= window:
            start += 1
        most = max(most, end - start + 1)
    return most


def measure(
    run: Run, people: int, minutes: float, scale: int, ttl: float, max_age: float
) -> dict[str, object]:
    productive, clockify = simulators(people, scale)
    p_listener, c_listener = Listener(productive.app, bind()), Listener(clockify.app, bind())
    if run.replicas > 1:
        import redis

        redis.Redis.from_url(REDIS).flushdb()
    period, seconds = 30 / scale, minutes * 60 / scale
    with BackgroundServers([p_listener, c_listener], log_level="critical"):
        env = gateway_env((p_listener.url, c_listener.url), run, scale, ttl, max_age)
        with gateways(env, run.replicas) as urls:
            started = time.monotonic()
            tally = asyncio.run(load(urls, people, period, seconds))
    records = [*productive.log.records, *clockify.log.records]
    steady = [r for r in records if r.at - min(x.at for x in records) >= period]
    latencies = sorted(tally.latencies)
    p_times = [r.at for r in productive.log.records]
    return {
        "run": run.name,
        "reads": tally.reads,
        "complete": tally.complete / max(1, tally.reads),
        "calls per read": len(records) / max(1, tally.reads),
        "productive calls": len(productive.log.records),
        "clockify calls": len(clockify.log.records),
        "429s": sum(r.status == 429 for r in records),
        "429s steady": sum(r.status == 429 for r in steady),
        "p50 ms": statistics.median(latencies) * 1000 if latencies else 0.0,
        "p99 ms": latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0.0,
        "busiest short": busiest(p_times, 10 / scale),
        "busiest long": busiest(p_times, 1800 / scale),
        "failures": dict(sorted(tally.failures.items())),
        "wall s": time.monotonic() - started,
    }


def table(rows: list[dict[str, object]], scale: int) -> str:
    head = (
        "| run | reads | complete | upstream calls per read | Productive / Clockify calls "
        "| 429s (steady state) | p50 / p99 ms | busiest Productive windows (limit 100, 4000) |"
    )
    lines = [head, "|" + "---|" * 8]
    for r in rows:
        lines.append(
            f"| {r['run']} | {r['reads']} | {float(r['complete']):.2%} "  # type: ignore[arg-type]
            f"| {float(r['calls per read']):.3f} "  # type: ignore[arg-type]
            f"| {r['productive calls']} / {r['clockify calls']} "
            f"| {r['429s']} ({r['429s steady']}) "
            f"| {float(r['p50 ms']):.0f} / {float(r['p99 ms']):.0f} "  # type: ignore[arg-type]
            f"| {r['busiest short']} per {10 / scale:g} s, "
            f"{r['busiest long']} per {1800 / scale:g} s |"
        )
    failures = [f"- {r['run']}: {r['failures']}" for r in rows if r["failures"]]
    return "\n".join(lines + (["", "Failed reads by code:", *failures] if failures else []))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--minutes", type=float, default=10.0, help="unscaled minutes per run")
    parser.add_argument("--scale", type=int, choices=(1, 2, 5, 10), default=5)
    parser.add_argument("--ttl", type=float, default=15.0, help="unscaled read cache TTL (s)")
    parser.add_argument("--max-age", type=float, default=3600.0, help="unscaled max age (s)")
    args = parser.parse_args()
    rows = []
    for run in RUNS:
        rows.append(measure(run, args.people, args.minutes, args.scale, args.ttl, args.max_age))
        print(f"{run.name}: done in {rows[-1]['wall s']:.0f} s", flush=True)
    print(
        f"\n{args.people} people, each their own week every 30 s for {args.minutes:g} min "
        f"(clock scaled 1/{args.scale}), read cache TTL {args.ttl:g} s, "
        f"max age {args.max_age:g} s\n"
    )
    print(table(rows, args.scale))


if __name__ == "__main__":
    main()
