"""Pacing inside the upstream rate limits (issue 13's first part): a burst beyond the budget
is spread out, not 429'd, and a read that cannot start before its deadline is RATE_LIMITED at
once with `retryAfter`, without an upstream call."""

from __future__ import annotations

import asyncio

import httpx

from adapters.base import Platform
from schema.ids import encode
from simulators.traffic import Window
from tests.stack import Stack, gateway_for

EVERYONE = "@example.com"


def query(text: str) -> str:
    return '{ people(filter: {platforms: [PRODUCTIVE], text: "%s"}) { totalCount } }' % text


async def burst(url: str, texts: list[str]) -> list[dict[str, object]]:
    async with httpx.AsyncClient(timeout=60) as client:
        answers = await asyncio.gather(*(client.post(url, json={"query": query(t)}) for t in texts))
    return [a.json() for a in answers]


def test_a_burst_beyond_the_budget_is_paced_not_refused(stack: Stack) -> None:
    # Upstream takes 8 a second; the gateway's budget is 4 (3 with its one call of headroom),
    # so the scheduling on a loaded test machine cannot push a burst over upstream's limit.
    stack.productive.limiter.windows = [Window(8, 1.0)]
    settings = stack.demo.settings.with_overrides(productive_rate_limits="4/1 second")
    texts = [EVERYONE[i:] for i in range(10)]  # ten different reads: none is shared
    try:
        with gateway_for(settings) as gateway:
            answers = asyncio.run(burst(f"{gateway}/graphql", texts))
    finally:
        stack.productive.limiter.windows = list(stack.productive.settings.limits)
    assert all("errors" not in a for a in answers), answers
    statuses = [r.status for r in stack.productive.log.records]
    assert len(statuses) == 10 and 429 not in statuses
    starts = sorted(r.at for r in stack.productive.log.records)
    # Ten calls at three a second take more than two seconds: they were spread, not sent.
    assert starts[-1] - starts[0] >= 2.0


def test_a_read_that_cannot_fit_its_deadline_is_rate_limited_at_once(stack: Stack) -> None:
    settings = stack.demo.settings.with_overrides(
        productive_rate_limits="2/30 seconds", request_deadline=2.0
    )
    with gateway_for(settings) as gateway:
        first = httpx.post(f"{gateway}/graphql", json={"query": query("a")}, timeout=30).json()
        second = httpx.post(f"{gateway}/graphql", json={"query": query("b")}, timeout=30)
    assert "errors" not in first
    body = second.json()
    [error] = body["errors"]
    assert error["extensions"]["code"] == "RATE_LIMITED"
    assert error["extensions"]["platform"] == "PRODUCTIVE"
    assert 0 < error["extensions"]["retryAfter"] <= 30
    assert second.elapsed.total_seconds() < 1.5  # refused at once, not after waiting
    assert len(stack.productive.log.records) == 1  # the refused read was never sent


def test_writes_keep_the_reserve_reads_may_not_take(stack: Stack) -> None:
    """A budget of 10 calls (11 with the headroom) keeps one for writes: nine reads take what
    reads may, the tenth is refused, and a delete still goes out."""
    entry = encode("TimeEntry", Platform.PRODUCTIVE, "20100")
    settings = stack.demo.settings.with_overrides(
        productive_rate_limits="11/30 seconds", request_deadline=2.0
    )
    with gateway_for(settings) as gateway, httpx.Client(timeout=30) as client:
        reads = [
            client.post(f"{gateway}/graphql", json={"query": query(EVERYONE[i:])}).json()
            for i in range(10)
        ]
        deleted = client.post(
            f"{gateway}/graphql",
            json={
                "query": "mutation($id: ID!) { deleteTimeEntry(input: {id: $id}) "
                "{ deletedId userErrors { code } } }",
                "variables": {"id": entry},
            },
        ).json()
    assert all("errors" not in r for r in reads[:9])
    assert reads[9]["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    # The write went out on the reserved call (this seeded entry is approved: upstream's 409
    # comes back as CONFLICT, which shows the DELETE reached it).
    assert deleted["data"]["deleteTimeEntry"]["userErrors"] == [{"code": "CONFLICT"}]
    sent = [(r.method, r.status) for r in stack.productive.log.records]
    assert sent == [("GET", 200)] * 9 + [("DELETE", 409)]
