"""A write whose answer is lost is never sent again blindly: the gateway looks upstream. What it
finds there is the answer; when it finds nothing, UNKNOWN_OUTCOME says so."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from simulators.faults import ScriptedFault
from tests.mutations.helpers import person_id
from tests.stack import Stack, gateway_for

START = """mutation($input: StartTimerInput!) { startTimer(input: $input) {
  timer { id running person { email } } stoppedTimer { id } userErrors { code message } } }"""


@pytest.fixture
def impatient(stack: Stack) -> Iterator[str]:
    """A gateway that gives up on an upstream answer after half a second."""
    with gateway_for(stack.demo.settings.with_overrides(upstream_timeout=0.5)) as url:
        yield f"{url}/graphql"


def start(url: str, value: dict[str, object]) -> dict[str, object]:
    body = httpx.post(url, json={"query": START, "variables": {"input": value}}, timeout=30)
    payload: dict[str, object] = body.json()["data"]["startTimer"]
    return payload


def test_productive_start_timing_out_answers_the_timer_it_started(
    stack: Stack, impatient: str
) -> None:
    service = stack.data("""{ timeEntries(first: 1, filter: {platforms: [PRODUCTIVE]}) {
      edges { node { service { id } } } } }""")["timeEntries"]["edges"][0]["node"]["service"]
    stack.productive.settings.faults.script.append(
        ScriptedFault("slow", delay=2.0, method="POST", path_contains="/timers", after_handler=True)
    )
    payload = start(
        impatient, {"platform": "PRODUCTIVE", "serviceId": service["id"], "stopRunning": True}
    )
    assert payload["userErrors"] == []  # the look found the timer: the outcome is known
    timer = payload["timer"]
    assert timer and timer["running"] is True  # type: ignore[index]
    assert stack.productive.log.count("POST", "/timers") == 1


def test_clockify_dropped_answer_answers_the_running_timer(stack: Stack, impatient: str) -> None:
    dev = person_id(stack, "CLOCKIFY", "dev.patel@example.com")
    stack.clockify.settings.faults.script.append(
        ScriptedFault("drop", method="POST", path_contains="/time-entries", after_handler=True)
    )
    payload = start(impatient, {"platform": "CLOCKIFY", "personId": dev, "note": "x"})
    assert payload["userErrors"] == []
    assert payload["timer"]["person"]["email"] == "dev.patel@example.com"  # type: ignore[index]
    assert stack.clockify.log.count("POST", "/time-entries") == 1


def test_a_start_that_never_landed_says_so(stack: Stack, impatient: str) -> None:
    dev = person_id(stack, "CLOCKIFY", "dev.patel@example.com")
    stack.clockify.settings.faults.script.append(
        ScriptedFault("drop", method="POST", path_contains="/time-entries")
    )
    payload = start(impatient, {"platform": "CLOCKIFY", "personId": dev, "note": "x"})
    error = payload["userErrors"][0]  # type: ignore[index]
    assert error["code"] == "UNKNOWN_OUTCOME" and "did not land" in error["message"]
    assert payload["timer"] is None
    assert stack.clockify.log.count("POST", "/time-entries") == 1


def test_unavailable_upstream_is_a_top_level_error(stack: Stack) -> None:
    dev = person_id(stack, "CLOCKIFY", "dev.patel@example.com")
    stack.clockify.settings.faults.error_rate = 1.0
    try:
        body = stack.gql(START, {"input": {"platform": "CLOCKIFY", "personId": dev}})
    finally:
        stack.clockify.settings.faults.error_rate = 0.0
    assert body["data"] is None or body["data"]["startTimer"] is None
    assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert len(stack.clockify.log.writes()) == 0


def test_without_a_key_an_unconfirmed_write_is_unknown_and_not_resent(
    stack: Stack, impatient: str
) -> None:
    dev = person_id(stack, "CLOCKIFY", "dev.patel@example.com")
    stack.clockify.settings.faults.script.append(
        ScriptedFault(
            "drop", method="POST", path_contains="/time-entries", after_handler=True, outage_after=4
        )
    )
    payload = start(impatient, {"platform": "CLOCKIFY", "personId": dev, "note": "x"})
    error = payload["userErrors"][0]  # type: ignore[index]
    assert error["code"] == "UNKNOWN_OUTCOME" and "idempotencyKey" in error["message"]
    assert stack.clockify.log.count("POST", "/time-entries") == 1


def test_a_write_landing_after_the_timeout_is_found_by_the_keyed_retry(stack: Stack) -> None:
    """The answer times out while upstream is still working: the retry waits out the settle
    window before it looks, so the late landing is found rather than written twice."""
    dev = person_id(stack, "CLOCKIFY", "dev.patel@example.com")
    settings = stack.demo.settings.with_overrides(upstream_timeout=0.5, write_settle=1.5)
    stack.clockify.settings.faults.script.append(
        ScriptedFault("slow", delay=1.0, method="POST", path_contains="/time-entries")
    )
    value = {"platform": "CLOCKIFY", "personId": dev, "note": "late", "idempotencyKey": "k1"}
    with gateway_for(settings) as url:
        first = start(f"{url}/graphql", value)
        assert first["userErrors"][0]["code"] == "UNKNOWN_OUTCOME"  # type: ignore[index]
        retried = start(f"{url}/graphql", value)
    assert retried["userErrors"] == [] and retried["timer"]["running"]  # type: ignore[index]
    assert stack.clockify.log.count("POST", "/time-entries") == 1
    running = [e for e in stack.clockify.workspace.entries.values() if e.description == "late"]
    assert len(running) == 1


def test_a_retry_inside_the_settle_window_is_told_to_come_back(stack: Stack) -> None:
    """A settle window longer than the request can wait: the retry answers RETRY_LATER with
    retryAfter, sends nothing, and leaves the window as it was for the next retry."""
    dev = person_id(stack, "CLOCKIFY", "dev.patel@example.com")
    settings = stack.demo.settings.with_overrides(upstream_timeout=0.5, write_settle=60.0)
    stack.clockify.settings.faults.script.append(
        ScriptedFault("slow", delay=1.0, method="POST", path_contains="/time-entries")
    )
    value = {"platform": "CLOCKIFY", "personId": dev, "note": "later", "idempotencyKey": "k2"}
    query = {"query": START, "variables": {"input": value}}
    with gateway_for(settings) as url:
        first = start(f"{url}/graphql", value)
        assert first["userErrors"][0]["code"] == "UNKNOWN_OUTCOME"  # type: ignore[index]
        for _ in range(2):
            body = httpx.post(f"{url}/graphql", json=query, timeout=30).json()
            extensions = body["errors"][0]["extensions"]
            assert extensions["code"] == "RETRY_LATER" and 55 <= extensions["retryAfter"] <= 61
    assert stack.clockify.log.wait_idle(timeout=10)  # the slow write has landed by now
    assert stack.clockify.log.count("POST", "/time-entries") == 1
