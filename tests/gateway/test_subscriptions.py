"""Subscriptions over WebSocket, driven by the `graphql-ws` npm client (graphql-transport-ws):
a subscriber hears of timers and time entries changed by mutations, on this gateway and, with
a Redis event bus, on another; what its credentials cannot read never reaches it, and
refused credentials close the connection with 4403."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from adapters.base import Platform
from schema.ids import encode
from tests.gateway.js_clients import JS, require_js
from tests.mutations.conftest import REDIS_URL, require_redis
from tests.mutations.helpers import mutate
from tests.mutations.test_approvals import seeded
from tests.simulators.test_productive_fidelity import call as productive_call
from tests.stack import OtherGateway, Stack, gateway_for

TIMERS = """subscription($f: ChangeFilter) { timerChanged(filter: $f) {
  kind timerId timer { id platform running timeEntry { note } person { email } } } }"""
ENTRIES = """subscription { timeEntryChanged { kind timeEntryId timeEntry { id note } } }"""


def ws_url(http_url: str) -> str:
    return http_url.replace("http://", "ws://", 1)


def subscribers(url: str) -> float:
    """The subscriptions this gateway holds open (its own count, not the process's gauge,
    which the suite's many in-process gateways share)."""
    return float(httpx.get(url.replace("/graphql", "/healthz"), timeout=10).json()["subscribers"])


def await_subscribers(url: str, count: float, process: subprocess.Popen[str] | None) -> None:
    """Until the gateway counts at least `count` open subscriptions; each look is a real
    round trip to /healthz, bounded by a deadline (no sleep)."""
    deadline = time.monotonic() + 20
    while subscribers(url) < count:
        assert time.monotonic() < deadline, f"the gateway never counted {count} subscriptions"
        if process is not None:
            assert process.poll() is None, process.stderr and process.stderr.read()


@contextmanager
def subscriber(
    url: str,
    query: str,
    variables: dict[str, Any] | None = None,
    count: int = 1,
    script: str = "subscribe.mjs",
    **params: str,
) -> Iterator[queue.Queue[dict[str, Any]]]:
    """A JavaScript client subscribed through the gateway at `url` (graphql-ws over
    WebSocket, or with `script="apollo_subscribe.mjs"` Apollo Client over HTTP); yields its
    messages as they arrive, once the gateway counts the subscription as open."""
    require_js()
    before = subscribers(url)
    process = subprocess.Popen(
        [
            "node",
            str(JS / script),
            ws_url(url) if script == "subscribe.mjs" else url,
            query,
            json.dumps(variables or {}),
            json.dumps(params),
            str(count),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    messages: queue.Queue[dict[str, Any]] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            messages.put(json.loads(line))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not params:
            await_subscribers(url, before + 1, process)
        yield messages
    finally:
        process.kill()
        process.wait(timeout=10)
        reader.join(timeout=10)  # it ends at the dead process's end of output
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def test_a_subscriber_hears_of_a_timer_started_by_a_mutation(stack: Stack) -> None:
    with subscriber(stack.url, TIMERS, {"f": {"platforms": ["CLOCKIFY"]}}) as messages:
        started = mutate(
            stack, "startTimer", {"platform": "CLOCKIFY", "note": "Live"}, "timer { id }"
        )
        message = messages.get(timeout=20)
    change = message["data"]["timerChanged"]
    assert change["kind"] == "STARTED"
    assert change["timerId"] == started["timer"]["id"] == change["timer"]["id"]
    assert change["timer"]["timeEntry"]["note"] == "Live" and change["timer"]["person"]["email"]
    assert change["timer"]["running"] is True


def test_apollo_client_subscribes_over_http_without_a_websocket(stack: Stack) -> None:
    with subscriber(stack.url, TIMERS, script="apollo_subscribe.mjs") as messages:
        started = mutate(
            stack, "startTimer", {"platform": "CLOCKIFY", "note": "Multipart"}, "timer { id }"
        )
        message = messages.get(timeout=20)
    change = message["data"]["timerChanged"]
    assert change["timerId"] == started["timer"]["id"]
    assert change["timer"]["timeEntry"]["note"] == "Multipart"


def test_a_subscription_over_plain_http_is_refused_with_a_reason(stack: Stack) -> None:
    answer = stack.post(TIMERS)
    assert answer.status_code == 400
    [error] = answer.json()["errors"]
    assert "WebSocket" in error["message"] and "text/event-stream" in error["message"]


def test_graphql_over_sse_streams_the_change(stack: Stack) -> None:
    # A gateway of its own: the server hears of a closed SSE stream only at its next write,
    # so this subscription outlives the test for a while.
    lines: queue.Queue[str] = queue.Queue()
    with gateway_for(stack.demo.settings) as gw:
        url = f"{gw}/graphql"
        via = OtherGateway(stack.demo, stack.client, gw)

        def listen() -> None:
            headers = {"Accept": "text/event-stream"}
            with httpx.stream(
                "POST", url, json={"query": TIMERS}, headers=headers, timeout=30
            ) as r:
                lines.put(r.headers["content-type"])
                for line in r.iter_lines():
                    if line.startswith("data:"):
                        lines.put(line)
                        return

        threading.Thread(target=listen, daemon=True).start()
        assert lines.get(timeout=20).startswith("text/event-stream")
        await_subscribers(url, 1, None)
        started = mutate(via, "startTimer", {"platform": "CLOCKIFY", "note": "SSE"}, "timer { id }")
        event = json.loads(lines.get(timeout=20).removeprefix("data:"))
    assert event["data"]["timerChanged"]["timerId"] == started["timer"]["id"]


def test_entries_created_and_deleted_arrive_in_order(stack: Stack) -> None:
    with subscriber(stack.url, ENTRIES, count=2) as messages:
        created = mutate(
            stack,
            "createTimeEntry",
            {
                "platform": "CLOCKIFY",
                "startedAt": "2026-11-18T09:00:00Z",
                "endedAt": "2026-11-18T09:30:00Z",
                "note": "Pushed",
            },
            "timeEntry { id }",
        )
        entry = created["timeEntry"]["id"]
        # The subscriber reads a created entry when its change arrives; deleted before that,
        # the entry is no longer there to show. So the deletion waits for the creation's news.
        first = messages.get(timeout=20)
        mutate(stack, "deleteTimeEntry", {"id": entry}, "deletedId")
        second = messages.get(timeout=20)
    assert first["data"]["timeEntryChanged"] == {
        "kind": "CREATED",
        "timeEntryId": entry,
        "timeEntry": {"id": entry, "note": "Pushed"},
    }
    assert second["data"]["timeEntryChanged"] == {
        "kind": "DELETED",
        "timeEntryId": entry,
        "timeEntry": None,
    }


def test_a_filter_by_person_keeps_other_peoples_timers_away(stack: Stack) -> None:
    nobody = {"f": {"personIds": ["UGVyc29uOmNsb2NraWZ5OjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMA=="]}}
    with subscriber(stack.url, TIMERS, nobody) as quiet, subscriber(stack.url, TIMERS) as all_:
        mutate(stack, "startTimer", {"platform": "CLOCKIFY", "note": "Mine"}, "timer { id }")
        assert all_.get(timeout=20)["data"]["timerChanged"]["kind"] == "STARTED"
    assert quiet.empty()


def test_refused_credentials_close_the_connection_with_4403(stack: Stack) -> None:
    # Per-request credentials are off on the suite's gateway: sending some is refused.
    with subscriber(stack.url, TIMERS, **{"X-Clockify-Api-Key": "someone-else"}) as messages:
        closed = messages.get(timeout=20)
    assert closed["closed"] == 4403


def test_a_change_on_one_replica_reaches_a_subscriber_on_another(stack: Stack) -> None:
    require_redis()
    settings = stack.demo.settings.with_overrides(events=REDIS_URL)
    with (
        gateway_for(settings) as one,
        gateway_for(settings) as two,
        subscriber(f"{two}/graphql", TIMERS) as messages,
    ):
        via_one = OtherGateway(stack.demo, stack.client, one)
        started = mutate(
            via_one, "startTimer", {"platform": "CLOCKIFY", "note": "Across"}, "timer { id }"
        )
        change = messages.get(timeout=20)["data"]["timerChanged"]
    assert change["timerId"] == started["timer"]["id"]
    assert change["timer"]["timeEntry"]["note"] == "Across"


PRODUCTIVE_TIMERS = """subscription { timerChanged(filter: {platforms: [PRODUCTIVE]}) {
  kind timerId timer { running timeEntry { note } } } }"""


def test_a_productive_timer_started_upstream_arrives_by_poll(stack: Stack) -> None:
    settings = stack.demo.settings.with_overrides(timer_poll_interval=0.2)
    log = stack.productive.log
    with gateway_for(settings) as gw, subscriber(f"{gw}/graphql", PRODUCTIVE_TIMERS) as messages:
        assert log.wait_count(1, "GET", "/timers", 20)  # the first poll: what runs already
        entry = next(e for e in stack.productive.store.all("time_entries") if e.id != "29999")
        body = {
            "data": {
                "type": "timers",
                "attributes": {},
                "relationships": {"time_entry": {"data": {"type": "time_entries", "id": entry.id}}},
            }
        }
        started = productive_call(stack, "POST", "/timers", body)
        assert started.status_code == 201, started.text
        change = messages.get(timeout=20)["data"]["timerChanged"]
    assert change["kind"] == "STARTED" and change["timer"]["running"] is True
    assert change["timerId"] == encode("Timer", Platform.PRODUCTIVE, started.json()["data"]["id"])


def test_subscribers_with_the_same_credentials_share_one_poll(stack: Stack) -> None:
    """Many subscribers with one set of credentials share one poll an interval."""
    settings = stack.demo.settings.with_overrides(timer_poll_interval=0.2)
    log = stack.productive.log
    with (
        gateway_for(settings) as gw,
        subscriber(f"{gw}/graphql", PRODUCTIVE_TIMERS),
        subscriber(f"{gw}/graphql", PRODUCTIVE_TIMERS),
        subscriber(f"{gw}/graphql", PRODUCTIVE_TIMERS),
    ):
        assert log.wait_count(5, "GET", "/timers", 20)
        first, fifth = log.matching("GET", "/timers")[0].at, log.matching("GET", "/timers")[4].at
    # Five polls took four intervals (one poller), not a fifth of one (three pollers).
    assert fifth - first >= 4 * 0.2 * 0.9


def test_two_replicas_on_one_redis_poll_once_and_hand_over(stack: Stack) -> None:
    require_redis()
    settings = stack.demo.settings.with_overrides(events=REDIS_URL, timer_poll_interval=0.2)
    log = stack.productive.log
    with gateway_for(settings) as two, subscriber(f"{two}/graphql", PRODUCTIVE_TIMERS):
        with gateway_for(settings) as one, subscriber(f"{one}/graphql", PRODUCTIVE_TIMERS):
            start = log.count("GET", "/timers")
            assert log.wait_count(start + 6, "GET", "/timers", 20)
            polls = [r.at for r in log.matching("GET", "/timers")][start : start + 6]
        # Six polls took five intervals: one replica polled, the other held back.
        assert polls[-1] - polls[0] >= 5 * 0.2 * 0.9
        # Replica one is gone (its lease released or run out): whichever held it, two polls on.
        after = log.count("GET", "/timers")
        assert log.wait_count(after + 2, "GET", "/timers", 20)


APPROVALS_LIVE = (
    """subscription { approvalChanged { status approvalId approval { kind platform } } }"""
)


def test_approvals_decided_through_the_gateway_reach_a_subscriber(stack: Stack) -> None:
    s = seeded(stack)
    ids = [s["sheet"], s["time_off"]]
    with subscriber(stack.url, APPROVALS_LIVE, count=2) as messages:
        decided = mutate(stack, "approve", {"ids": ids}, "approvals { id }")
        changes = [messages.get(timeout=20)["data"]["approvalChanged"] for _ in ids]
    assert decided["userErrors"] == []
    assert {c["approvalId"] for c in changes} == {a["id"] for a in decided["approvals"]}
    assert {(c["status"], c["approval"]["kind"]) for c in changes} == {
        ("APPROVED", "TIMESHEET"),
        ("APPROVED", "TIME_OFF"),
    }
