"""Idempotency keys with both stores: one upstream write per key, conflicts on other input,
keys scoped to credentials, and replicas sharing the Redis store."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import redis

from simulators.clockify.app import MEMBER_KEY
from tests.mutations.helpers import person_id
from tests.stack import Stack, gateway_for

REDIS_URL = "redis://127.0.0.1:6379/15"
START = """mutation($input: StartTimerInput!) { startTimer(input: $input) {
  timer { id person { email } } userErrors { code message field } } }"""


def redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.exceptions.ConnectionError:
        return False


@pytest.fixture(params=["memory", "redis"])
def gateway(request: pytest.FixtureRequest, stack: Stack) -> Iterator[str]:
    """A gateway with request credentials on, and the store under test."""
    if request.param == "redis" and not redis_available():
        if os.environ.get("CI"):
            pytest.fail("Redis at 127.0.0.1:6379 is needed (.ci/run starts it)")
        pytest.skip("Redis at 127.0.0.1:6379 is not running")
    store = REDIS_URL if request.param == "redis" else "memory"
    settings = stack.demo.settings.with_overrides(request_credentials=True, idempotency_store=store)
    with gateway_for(settings) as url:
        yield f"{url}/graphql"


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
        "person": dev,
        "description": description,
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
        "person": ben,
        "description": "Mine",
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
      approvalStatus: [DRAFT]}) { edges { node { id } } } }""")["timeEntries"]["edges"]
    query = """mutation($input: ApprovalIdsInput!) { approve(input: $input) {
      approvals { id status } userErrors { code } } }"""
    value = {"ids": [e["node"]["id"] for e in drafts], "idempotencyKey": str(uuid.uuid4())}
    first = post(gateway, query, value)["data"]["approve"]
    again = post(gateway, query, value)["data"]["approve"]
    assert first == again and [a["status"] for a in first["approvals"]] == ["APPROVED"] * 3
    assert stack.productive.log.count("PATCH", "/time_entries/approve") == 1


def test_replicas_share_keys_through_redis(stack: Stack) -> None:
    if not redis_available():
        if os.environ.get("CI"):
            pytest.fail("Redis at 127.0.0.1:6379 is needed (.ci/run starts it)")
        pytest.skip("Redis at 127.0.0.1:6379 is not running")
    settings = stack.demo.settings.with_overrides(idempotency_store=REDIS_URL)
    value = start_input(stack, str(uuid.uuid4()))
    with gateway_for(settings) as one, gateway_for(settings) as two:
        first = post(f"{one}/graphql", START, value)["data"]["startTimer"]
        second = post(f"{two}/graphql", START, value)["data"]["startTimer"]
    assert first == second and posts(stack) == 1
