"""Idempotency keys with both stores: one upstream write per key, conflicts on other input,
keys scoped to credentials, and replicas sharing the Redis store."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from simulators.clockify.app import MEMBER_KEY
from simulators.faults import ScriptedFault
from tests.mutations.conftest import REDIS_URL, require_redis
from tests.mutations.helpers import person_id
from tests.stack import Stack, gateway_for

START = """mutation($input: StartTimerInput!) { startTimer(input: $input) {
  timer { id person { email } } userErrors { code message field } } }"""


def post(
    url: str, query: str, value: dict[str, Any], headers: dict[str, str] | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = httpx.post(
        url, json={"query": query, "variables": {"input": value}}, headers=headers or {}, timeout=30
    ).json()
    assert "errors" not in body, body
    return body


def start_input(stack: Stack, key: str, description: str = "Focus time") -> dict[str, Any]:
    dev = person_id(stack, "CLOCKIFY", "dev.patel@example.com")
    return {
        "platform": "CLOCKIFY",
        "personId": dev,
        "note": description,
        "idempotencyKey": key,
    }


def posts(stack: Stack) -> int:
    return stack.clockify.log.count("POST", "/time-entries")


def test_a_retry_with_the_same_key_writes_once(stack: Stack, gateway: str) -> None:
    value = start_input(stack, str(uuid.uuid4()))
    first = post(gateway, START, value)["data"]["startTimer"]
    second = post(gateway, START, value)["data"]["startTimer"]
    assert first["userErrors"] == [] and second == first
    assert posts(stack) == 1


def test_the_same_key_with_another_input_is_a_conflict(stack: Stack, gateway: str) -> None:
    key = str(uuid.uuid4())
    post(gateway, START, start_input(stack, key))
    other = post(gateway, START, start_input(stack, key, "Something else"))["data"]["startTimer"]
    assert other["timer"] is None
    assert other["userErrors"] == [
        {
            "code": "CONFLICT",
            "field": ["input", "idempotencyKey"],
            "message": "This idempotencyKey was used with a different input",
        }
    ]
    assert posts(stack) == 1


def test_simultaneous_duplicates_write_once(stack: Stack, gateway: str) -> None:
    value = start_input(stack, str(uuid.uuid4()))
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: post(gateway, START, value), range(2)))
    timers = {r["data"]["startTimer"]["timer"]["id"] for r in results}
    assert len(timers) == 1 and posts(stack) == 1


def test_keys_are_scoped_to_credentials(stack: Stack, gateway: str) -> None:
    key = str(uuid.uuid4())
    ben = person_id(stack, "CLOCKIFY", "ben.okafor@example.com")
    value = {
        "platform": "CLOCKIFY",
        "personId": ben,
        "note": "Mine",
        "idempotencyKey": key,
        "stopRunning": True,
    }
    admin = post(gateway, START, value)["data"]["startTimer"]
    member = post(gateway, START, value, headers={"X-Clockify-Api-Key": MEMBER_KEY})
    member_timer = member["data"]["startTimer"]
    assert admin["userErrors"] == [] and member_timer["userErrors"] == []
    assert member_timer["timer"]["id"] != admin["timer"]["id"]  # executed anew, not replayed
    assert posts(stack) == 2


def test_approve_with_a_key_sends_one_bulk_request(stack: Stack, gateway: str) -> None:
    drafts = stack.data("""{ timeEntries(first: 3, filter: {platforms: [PRODUCTIVE],
      approvalStatuses: [DRAFT]}) { edges { node { id } } } }""")["timeEntries"]["edges"]
    query = """mutation($input: ApproveInput!) { approve(input: $input) {
      approvals { id status } userErrors { code } } }"""
    value = {"ids": [e["node"]["id"] for e in drafts], "idempotencyKey": str(uuid.uuid4())}
    first = post(gateway, query, value)["data"]["approve"]
    again = post(gateway, query, value)["data"]["approve"]
    assert first == again and [a["status"] for a in first["approvals"]] == ["APPROVED"] * 3
    assert stack.productive.log.count("PATCH", "/time_entries/bulk_approve") == 1


def test_replicas_share_keys_through_redis(stack: Stack) -> None:
    require_redis()
    settings = stack.demo.settings.with_overrides(idempotency_store=REDIS_URL)
    value = start_input(stack, str(uuid.uuid4()))
    with gateway_for(settings) as one, gateway_for(settings) as two:
        first = post(f"{one}/graphql", START, value)["data"]["startTimer"]
        second = post(f"{two}/graphql", START, value)["data"]["startTimer"]
    assert first == second and posts(stack) == 1


def test_the_same_key_at_two_replicas_at_once_writes_once(stack: Stack) -> None:
    """Both replicas get the key while the first write is still upstream (held there half a
    second): one claims it, the other waits for it and answers the same result."""
    require_redis()
    settings = stack.demo.settings.with_overrides(idempotency_store=REDIS_URL)
    stack.clockify.settings.faults.script.append(
        ScriptedFault("slow", delay=0.5, method="POST", path_contains="/time-entries")
    )
    value = start_input(stack, str(uuid.uuid4()))
    with gateway_for(settings) as one, gateway_for(settings) as two, ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda url: post(f"{url}/graphql", START, value), [one, two]))
    first, second = (r["data"]["startTimer"] for r in results)
    assert first["userErrors"] == [] and first == second
    assert posts(stack) == 1
