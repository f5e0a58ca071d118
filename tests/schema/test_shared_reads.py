"""Identical upstream reads in flight at once for different GraphQL requests with the same
credentials share one call (issue 13's coalescing); other credentials never share it."""

from __future__ import annotations

import asyncio

import httpx

from simulators.clockify.app import DEMO_KEY
from tests.stack import Stack, gateway_for

QUERY = "{ people(first: 50) { totalCount } }"


async def together(url: str, headers: list[dict[str, str]]) -> list[dict[str, object]]:
    async with httpx.AsyncClient(timeout=30) as client:
        answers = await asyncio.gather(
            *(client.post(url, json={"query": QUERY}, headers=h) for h in headers)
        )
    return [a.json() for a in answers]


def test_concurrent_identical_reads_make_one_upstream_call(stack: Stack) -> None:
    for sim in (stack.productive, stack.clockify):
        sim.settings.faults.latency = 0.3  # long enough for all five to be in flight at once
    try:
        answers = asyncio.run(together(stack.url, [{}] * 5))
    finally:
        for sim in (stack.productive, stack.clockify):
            sim.settings.faults.latency = 0.0
    assert all(a == {"data": {"people": {"totalCount": 18}}} for a in answers)
    assert stack.counts() == (1, 1)


def test_other_credentials_never_share_a_read(stack: Stack) -> None:
    settings = stack.demo.settings.with_overrides(request_credentials=True)
    with gateway_for(settings) as gateway:
        for sim in (stack.productive, stack.clockify):
            sim.settings.faults.latency = 0.3
        try:
            answers = asyncio.run(
                together(
                    f"{gateway}/graphql",
                    [{}, {"X-Clockify-Api-Key": DEMO_KEY + "-other"}],
                )
            )
        finally:
            for sim in (stack.productive, stack.clockify):
                sim.settings.faults.latency = 0.0
    assert answers[0]["data"] == {"people": {"totalCount": 18}}
    # The second key is unknown upstream: its own call, its own 401, never the first's data.
    assert [r.status for r in stack.clockify.log.matching("GET", "/users")] == [200, 401] or [
        r.status for r in stack.clockify.log.matching("GET", "/users")
    ] == [401, 200]


def test_an_upstream_cookie_never_rides_along_with_later_calls(stack: Stack) -> None:
    """Every request's upstream calls share one HTTP client, whoever's credentials they carry:
    a `Set-Cookie` answered to one (a load balancer's sticky cookie, say) is not kept, so no
    later call, of this tenant or another, sends it back."""
    settings = stack.demo.settings.with_overrides(request_credentials=True)
    for sim in (stack.productive, stack.clockify):
        sim.settings.faults.set_cookie = "lb=replica-7; Path=/"
    try:
        with gateway_for(settings) as gateway, httpx.Client(timeout=30) as client:
            for headers in ({}, {"X-Clockify-Api-Key": DEMO_KEY + "-other"}, {}):
                client.post(f"{gateway}/graphql", json={"query": QUERY}, headers=headers)
    finally:
        for sim in (stack.productive, stack.clockify):
            sim.settings.faults.set_cookie = None
    records = stack.productive.log.records + stack.clockify.log.records
    assert len(records) >= 6
    assert [r.cookie for r in records] == [""] * len(records)
