"""Approvals live (issue 14): Clockify's approval and time-off webhooks reach `approvalChanged`
subscribers; a decision made through the gateway and the webhook about it arrive once; and
`mine` keeps a subscription to the viewer's own changes."""

from __future__ import annotations

import time

import httpx

from adapters.base import Platform
from schema.ids import encode
from simulators.clockify.store import object_id
from tests.approvers.seeded import BEN_C, person
from tests.gateway.test_subscriptions import TIMERS, subscriber
from tests.gateway.test_webhooks import hooked
from tests.mutations.helpers import mutate
from tests.simulators.test_clockify_fidelity import WS, call
from tests.stack import OtherGateway, Stack

REQUEST_EVENTS = (
    "NEW_APPROVAL_REQUEST",
    "APPROVAL_REQUEST_STATUS_UPDATED",
    "TIME_OFF_REQUESTED",
    "TIME_OFF_REQUEST_APPROVED",
    "TIME_OFF_REQUEST_REJECTED",
)
LIVE = """subscription { approvalChanged { status approvalId approval { kind platform note } } }"""
VACATION = object_id("policy", 0)


def test_time_off_and_decisions_made_in_clockify_reach_a_subscriber(stack: Stack) -> None:
    ws = stack.clockify.workspace
    pending = next(r for r in ws.approvals.values() if r["status"]["state"] == "PENDING")
    with (
        hooked(stack, REQUEST_EVENTS) as gw,
        subscriber(f"{gw}/graphql", LIVE, count=2) as messages,
    ):
        asked = call(
            stack,
            "POST",
            f"{WS}/time-off/policies/{VACATION}/users/{BEN_C}/requests",
            {
                "timeOffPeriod": {
                    "period": {"start": "2027-01-11T00:00:00Z", "end": "2027-01-12T23:59:59Z"}
                }
            },
        )
        assert asked.status_code == 200, asked.text
        first = messages.get(timeout=20)["data"]["approvalChanged"]
        decided = call(
            stack,
            "PATCH",
            f"{WS}/approval-requests/{pending['id']}",
            {"state": "REJECTED", "note": "Split the meetings out"},
        )
        assert decided.status_code == 200, decided.text
        second = messages.get(timeout=20)["data"]["approvalChanged"]
    time_off = encode("Approval", Platform.CLOCKIFY, f"time_off/{VACATION}/{asked.json()['id']}")
    assert (first["approvalId"], first["status"]) == (time_off, "PENDING")
    assert first["approval"]["kind"] == "TIME_OFF"
    sheet = encode("Approval", Platform.CLOCKIFY, f"timesheet/{pending['id']}")
    assert (second["approvalId"], second["status"]) == (sheet, "REJECTED")
    assert second["approval"]["note"] == "Split the meetings out"


def accepted(gateway: str) -> float:
    """Clockify webhook deliveries the gateway's process accepted (a real /metrics read)."""
    text = httpx.get(f"{gateway}/metrics", timeout=10).text
    line = next(
        (
            row
            for row in text.splitlines()
            if row.startswith("timebridge_webhooks_total")
            and 'platform="clockify"' in row
            and 'outcome="accepted"' in row
        ),
        None,
    )
    return float(line.rsplit(" ", 1)[1]) if line else 0.0


def test_a_decision_through_the_gateway_and_its_webhook_arrive_once(stack: Stack) -> None:
    ws = stack.clockify.workspace
    pending = [r for r in ws.approvals.values() if r["status"]["state"] == "PENDING"][:2]
    ids = [encode("Approval", Platform.CLOCKIFY, f"timesheet/{r['id']}") for r in pending]
    with (
        hooked(stack, REQUEST_EVENTS) as gw,
        subscriber(f"{gw}/graphql", LIVE, count=2) as messages,
    ):
        via = OtherGateway(stack.demo, stack.client, gw)
        before = accepted(gw)
        first = mutate(via, "approve", {"ids": [ids[0]]}, "approvals { id }")
        assert first["userErrors"] == []
        # Until Clockify's webhook about that decision has been received (each look a round
        # trip, within a deadline)...
        deadline = time.monotonic() + 20
        while accepted(gw) < before + 1:
            assert time.monotonic() < deadline, "the webhook never arrived"
        # ...then a second decision: had the webhook been published again, it would come first.
        second = mutate(via, "approve", {"ids": [ids[1]]}, "approvals { id }")
        assert second["userErrors"] == []
        seen = [messages.get(timeout=20)["data"]["approvalChanged"]["approvalId"] for _ in ids]
    assert seen == ids


def test_mine_keeps_other_peoples_timers_away(stack: Stack) -> None:
    mine = {"f": {"mine": True, "platforms": ["CLOCKIFY"]}}
    with subscriber(stack.url, TIMERS, mine) as messages:
        others = mutate(
            stack,
            "startTimer",
            {
                "platform": "CLOCKIFY",
                "personId": person(Platform.CLOCKIFY, BEN_C),
                "note": "Ben's",
                "stopRunning": True,
            },
            "timer { id }",
        )
        own = mutate(
            stack,
            "startTimer",
            {"platform": "CLOCKIFY", "note": "Mine", "stopRunning": True},
            "timer { id }",
        )
        change = messages.get(timeout=20)["data"]["timerChanged"]
    assert others["userErrors"] == [] and own["userErrors"] == []
    assert change["timerId"] == own["timer"]["id"]  # Ben's came first and was not sent
