"""The read cache (issue 13): repeated reads cost no upstream call and say how old they are;
the gateway's own writes show in the very next read; `Cache-Control: no-cache` reads fresh;
past the TTL one Productive delta read revalidates instead of reading everything again; two
tenants never share an entry; replicas on one Redis share entries and invalidations."""

from __future__ import annotations

import asyncio
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qs

import httpx

from schema.ids import decode
from simulators.clockify.app import DEMO_KEY
from simulators.productive.app import DEMO_TOKEN as PRODUCTIVE_TOKEN
from simulators.traffic import Window
from tests.gateway.test_workers import env_for
from tests.mutations.conftest import REDIS_URL, require_redis
from tests.mutations.helpers import mutate
from tests.simulators.test_clockify_fidelity import WS, call
from tests.stack import OtherGateway, Stack, gateway_for, printed_url, timebridge

WEEK = """query($p: [Platform!]) { timeEntries(first: 200, filter: {platforms: $p,
  dateRange: {start: "2026-11-16", end: "2026-11-20"}}) { totalCount
  edges { node { id note durationMinutes } } } }"""
PRODUCTIVE = {"p": ["PRODUCTIVE"]}
BOTH = {"p": ["PRODUCTIVE", "CLOCKIFY"]}


@contextmanager
def cached(stack: Stack, **settings: Any) -> Iterator[OtherGateway]:
    overrides = {"read_cache": "memory", "read_cache_ttl": 60.0, **settings}
    with gateway_for(stack.demo.settings.with_overrides(**overrides)) as url:
        yield OtherGateway(stack.demo, stack.client, url)


def notes(body: dict[str, Any]) -> dict[str, str]:
    return {e["node"]["id"]: e["node"]["note"] for e in body["data"]["timeEntries"]["edges"]}


def test_a_repeated_read_costs_no_upstream_call_and_says_how_old_it_is(stack: Stack) -> None:
    with cached(stack) as gw:
        first = gw.gql(WEEK, BOTH)
        calls = stack.counts()
        second = gw.gql(WEEK, BOTH)
    assert calls[0] >= 1 and calls[1] >= 1
    assert stack.counts() == calls  # the second read was answered from the cache
    assert second["data"] == first["data"]
    assert first["extensions"]["cache"]["hits"] == 0 and first["extensions"]["cache"]["misses"]
    report = second["extensions"]["cache"]
    assert report["misses"] == 0 and report["hits"] >= 2
    assert 0 <= report["ageSeconds"] < 60


def test_a_write_shows_in_the_next_read_on_both_platforms(stack: Stack) -> None:
    with cached(stack) as gw:
        before = gw.gql(WEEK, BOTH)
        service = stack.data("""{ timeEntries(first: 1, filter: {platforms: [PRODUCTIVE]}) {
          edges { node { service { id } } } } }""")["timeEntries"]["edges"][0]["node"]
        created = [
            mutate(
                gw,
                "createTimeEntry",
                {
                    "platform": "PRODUCTIVE",
                    "date": "2026-11-18",
                    "durationMinutes": 30,
                    "note": "Cached?",
                    "serviceId": service["service"]["id"],
                },
                "timeEntry { id }",
            ),
            mutate(
                gw,
                "createTimeEntry",
                {
                    "platform": "CLOCKIFY",
                    "startedAt": "2026-11-18T09:00:00Z",
                    "endedAt": "2026-11-18T09:30:00Z",
                    "note": "Cached?",
                },
                "timeEntry { id }",
            ),
        ]
        after = gw.gql(WEEK, BOTH)
        edited = created[0]["timeEntry"]["id"]
        mutate(gw, "updateTimeEntry", {"id": edited, "note": "Edited"}, "timeEntry { id }")
        edited_read = gw.gql(WEEK, BOTH)
        mutate(gw, "deleteTimeEntry", {"id": edited}, "deletedId")
        deleted_read = gw.gql(WEEK, BOTH)
    ids = {c["timeEntry"]["id"] for c in created}
    assert not ids & set(notes(before))
    assert {notes(after)[i] for i in ids} == {"Cached?"}
    total = before["data"]["timeEntries"]["totalCount"]
    assert after["data"]["timeEntries"]["totalCount"] == total + 2
    assert notes(edited_read)[edited] == "Edited"
    assert edited not in notes(deleted_read)
    assert deleted_read["data"]["timeEntries"]["totalCount"] == total + 1


def test_a_timer_started_shows_as_running_at_once(stack: Stack) -> None:
    running = "{ timers(filter: {running: true}) { edges { node { id } } } }"
    with cached(stack) as gw:
        idle = gw.data(running)["timers"]["edges"]
        started = mutate(
            gw,
            "startTimer",
            {"platform": "CLOCKIFY", "note": "Live"},
            "timer { id }",
        )
        busy = gw.data(running)["timers"]["edges"]
    assert started["userErrors"] == []
    assert started["timer"]["id"] in {e["node"]["id"] for e in busy}
    assert started["timer"]["id"] not in {e["node"]["id"] for e in idle}


def edit_in_clockify(stack: Stack, note: str) -> None:
    """Change one of the week's Clockify entries in Clockify itself, through its API."""
    entry = next(
        e
        for e in stack.clockify.workspace.entries.values()
        if e.end and not e.locked and "2026-11-16" <= e.start.date().isoformat() <= "2026-11-20"
    )
    assert entry.end is not None
    body = {"start": entry.start.isoformat(), "end": entry.end.isoformat(), "description": note}
    edited = call(stack, "PUT", f"{WS}/time-entries/{entry.id}", body)
    assert edited.status_code == 200, edited.text


def edit_upstream(stack: Stack, note: str) -> str:
    """Change an entry in Productive itself, as a person in its web app would."""
    store = stack.productive.store
    entry = next(
        e for e in store.all("time_entries") if "2026-11-16" <= e.attributes["date"] <= "2026-11-20"
    )
    entry.attributes.update(note=note, updated_at=store.stamp())
    return entry.id


def test_no_cache_reads_past_the_cache_and_refreshes_it(stack: Stack) -> None:
    with cached(stack) as gw:
        gw.gql(WEEK, PRODUCTIVE)
        edit_upstream(stack, "Changed upstream")
        stale = gw.gql(WEEK, PRODUCTIVE)
        fresh = gw.gql(WEEK, PRODUCTIVE, headers={"Cache-Control": "no-cache"})
        then = gw.gql(WEEK, PRODUCTIVE)
    assert list(notes(fresh).values()).count("Changed upstream") == 1
    assert "Changed upstream" not in notes(stale).values()  # within the TTL: the copy
    assert fresh["extensions"]["cache"]["hits"] == 0
    assert notes(then) == notes(fresh) and then["extensions"]["cache"]["misses"] == 0


def test_past_the_ttl_two_one_row_reads_revalidate_instead_of_a_full_read(stack: Stack) -> None:
    with cached(stack, read_cache_ttl=0.0) as gw:
        before = len(stack.productive.log.records)
        first = gw.gql(WEEK, PRODUCTIVE)
        cold = stack.productive.log.records[before:]
        before = len(stack.productive.log.records)
        again = gw.gql(WEEK, PRODUCTIVE)
        revalidation = stack.productive.log.records[before:]
        edit_upstream(stack, "Changed upstream")
        before = len(stack.productive.log.records)
        changed = gw.gql(WEEK, PRODUCTIVE)
        reread = stack.productive.log.records[before:]
    # The first read takes the count of all entries before it reads the week, so the very
    # first look past the TTL has something to compare with.
    entry_reads = [parse_qs(r.query) for r in cold if r.path.endswith("/time_entries")]
    assert entry_reads[0] == {"page[size]": ["1"]} and len(entry_reads) >= 2
    assert again["data"] == first["data"] and again["extensions"]["cache"]["misses"] == 0
    # Two one-row reads stand in for the whole week's pages: what changed, and how many.
    looks = [parse_qs(r.query) for r in revalidation]
    assert len(looks) == 2 and all(q["page[size]"] == ["1"] for q in looks)
    assert sum("filter[updated_at][gt]" in q for q in looks) == 1
    # The delta found the change: the week is read again and shows it.
    assert len(reread) >= 3 and "Changed upstream" in notes(changed).values()


def test_a_deletion_made_upstream_shows_at_the_first_look(stack: Stack) -> None:
    with cached(stack, read_cache_ttl=0.0) as gw:
        known = gw.gql(WEEK, PRODUCTIVE)
        gone = next(iter(notes(known)))
        stack.productive.store.delete("time_entries", decode(gone, "id")[1].remote_id)
        after = gw.gql(WEEK, PRODUCTIVE)
    assert gone in notes(known) and gone not in notes(after)


def test_clockify_revalidates_by_its_entity_changes_reads(stack: Stack) -> None:
    clockify = {"p": ["CLOCKIFY"]}
    with cached(stack, read_cache_ttl=0.0) as gw:
        first = gw.gql(WEEK, clockify)
        before = len(stack.clockify.log.records)
        again = gw.gql(WEEK, clockify)
        revalidation = stack.clockify.log.records[before:]
        edit_in_clockify(stack, "Changed in Clockify")
        before = len(stack.clockify.log.records)
        changed = gw.gql(WEEK, clockify)
        reread = stack.clockify.log.records[before:]
    assert again["data"] == first["data"]
    paths = [r.path for r in revalidation]
    # The report, the big read, is not made again; four one-row looks stand in for it.
    assert not any(p.endswith("/reports/detailed") for p in paths)
    assert sorted(p.rsplit("/", 1)[-1] for p in paths if "/entities/" in p) == [
        "created",
        "deleted",
        "updated",
    ]
    assert any(p.endswith("/approval-requests") for p in paths)
    assert any(r.path.endswith("/reports/detailed") for r in reread)
    assert "Changed in Clockify" in notes(changed).values()


def test_two_tenants_never_share_an_entry(stack: Stack) -> None:
    query = "{ people(first: 50, filter: {platforms: [CLOCKIFY]}) { totalCount } }"
    other = {"X-Clockify-Api-Key": DEMO_KEY + "-other"}
    with cached(stack, request_credentials=True) as gw:
        mine = gw.gql(query)
        theirs = gw.gql(query, headers=other)
        mine_again = gw.gql(query)
    assert mine["data"] == {"people": {"totalCount": 9}}
    # The other key made its own call (and got its own 401), never the first key's data.
    statuses = [r.status for r in stack.clockify.log.matching("GET", "/users")]
    assert statuses == [200, 401]
    assert theirs["data"] is None or theirs["data"]["people"] != mine["data"]["people"]
    assert mine_again["data"] == mine["data"] and mine_again["extensions"]["cache"]["hits"]


def test_replicas_on_one_redis_share_entries_and_invalidations(stack: Stack) -> None:
    require_redis()
    with cached(stack, read_cache=REDIS_URL) as one, cached(stack, read_cache=REDIS_URL) as two:
        one.gql(WEEK, PRODUCTIVE)
        calls = stack.counts()
        shared = two.gql(WEEK, PRODUCTIVE)
        assert stack.counts() == calls and shared["extensions"]["cache"]["misses"] == 0
        entry = next(iter(notes(shared)))
        mutate(two, "updateTimeEntry", {"id": entry, "note": "Via two"}, "timeEntry { id }")
        seen = one.gql(WEEK, PRODUCTIVE)
    assert notes(seen)[entry] == "Via two"


def test_two_gateway_processes_on_one_redis_share_the_pacing_budget(stack: Stack) -> None:
    """Both processes take from one budget of 3 calls a second: twelve different reads, six
    through each, take more than three seconds and are never answered 429 (upstream allows
    8 a second, so two budgets of their own would have sent them in two)."""
    require_redis()
    stack.productive.limiter.windows = [Window(8, 1.0)]
    env = env_for(
        stack,
        TIMEBRIDGE_PRODUCTIVE_RATE_LIMITS="4/1 second",
        TIMEBRIDGE_RATE_LIMIT_STORE=REDIS_URL,
        TIMEBRIDGE_READ_CACHE="off",
    )
    try:
        with (
            timebridge("serve", "--port", "0", env=env) as first,
            timebridge("serve", "--port", "0", env=env) as second,
        ):
            urls = [printed_url(first), printed_url(second)]
            answers = asyncio.run(burst([urls[i % 2] for i in range(12)]))
    finally:
        stack.productive.limiter.windows = list(stack.productive.settings.limits)
    assert all("errors" not in a for a in answers), answers
    records = stack.productive.log.records
    assert len(records) == 12 and 429 not in [r.status for r in records]
    starts = sorted(r.at for r in records)
    assert starts[-1] - starts[0] >= 2.5  # batches of 3 at 0, 1, 2, 3 s; with 6/s: 0, 1 s


async def burst(urls: list[str]) -> list[dict[str, Any]]:
    query = '{ people(filter: {platforms: [PRODUCTIVE], text: "%s"}) { totalCount } }'
    async with httpx.AsyncClient(timeout=60) as client:
        answers = await asyncio.gather(
            *(
                client.post(url, json={"query": query % "@example.com"[i:]})
                for i, url in enumerate(urls)
            )
        )
    return [a.json() for a in answers]


def test_the_operator_log_reports_budgets_waits_refusals_and_cache_hits(stack: Stack) -> None:
    lines: list[str] = []
    hit = threading.Event()

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            text = record.getMessage()
            lines.append(text)
            found = re.search(r"read cache (\d+)% of", text)
            if text.startswith("productive:") and found and int(found.group(1)) > 0:
                hit.set()

    catch = Catch()
    logger = logging.getLogger("timebridge.operator")
    logger.addHandler(catch)
    logger.setLevel(logging.INFO)
    paced = {"productive_rate_limits": "100/10 seconds;4000/30 minutes", "report_interval": 0.2}
    try:
        with cached(stack, **paced) as gw:
            gw.gql(WEEK, PRODUCTIVE)
            gw.gql(WEEK, PRODUCTIVE)
            assert hit.wait(10), lines
    finally:
        logger.removeHandler(catch)
    line = next(t for t in lines if t.startswith("productive:") and "% of" in t)
    assert re.search(r"budget 100/10 seconds \d+% used \(key [0-9a-f]{8}\); 4000/30 minutes", line)
    assert "waited 0.0 s, refused 0" in line
    assert not any(PRODUCTIVE_TOKEN in t for t in lines)
