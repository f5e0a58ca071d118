"""Time off end to end (issue 11): a request changes the balance upstream and can be
withdrawn; the documented refusals are typed user errors; holidays on both platforms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from adapters.base import Platform
from schema.ids import encode
from simulators.clockify.store import object_id
from tests.approvers.seeded import ANA_C, ANA_P, BEN_P, person
from tests.mutations.helpers import mutate
from tests.stack import ANCHOR, Stack

VACATION, SICK = object_id("policy", 0), object_id("policy", 1)
CHLOE = object_id("user", 2)
BALANCES = """query($id: ID!) { node(id: $id) { ... on Person { timeOffBalances {
  policy { id name } policyName unit total used remaining } } } }"""
REQUESTED = "approval { id kind status periodStart periodEnd requester { name } }"


def policy(remote_id: str) -> str:
    return encode("TimeOffPolicy", Platform.CLOCKIFY, remote_id)


def balances(stack: Stack, who: str) -> dict[str, dict[str, Any]]:
    found = stack.data(BALANCES, {"id": person(Platform.CLOCKIFY, who)})["node"]
    return {b["policyName"]: b for b in found["timeOffBalances"]}


def upstream_balance(stack: Stack, policy_id: str, user_id: str) -> float:
    from simulators.clockify.balances import balance_dto

    sim = stack.clockify
    dto = balance_dto(sim, sim.workspace.policies[policy_id], sim.workspace.users[user_id])
    return float(dto["balance"])


def request(stack: Stack, **value: Any) -> dict[str, Any]:
    base = {"policyId": policy(SICK), "personId": person(Platform.CLOCKIFY, CHLOE)}
    return mutate(stack, "requestTimeOff", {**base, **value}, REQUESTED)


def test_a_request_changes_the_balance_upstream_and_can_be_withdrawn(stack: Stack) -> None:
    before = balances(stack, CHLOE)["Sick leave"]
    day = (ANCHOR + dt.timedelta(days=21)).isoformat()
    made = request(stack, startDate=day, endDate=day, note="Dentist")
    assert made["userErrors"] == []
    approval = made["approval"]
    # Sick leave needs no approval: it is approved at once, and used from the balance.
    assert (approval["kind"], approval["status"]) == ("TIME_OFF", "APPROVED")
    assert approval["periodStart"] == approval["periodEnd"] == day
    assert approval["requester"]["name"].startswith("Chlo")
    after = balances(stack, CHLOE)["Sick leave"]
    assert after["used"] == before["used"] + 1 and after["remaining"] == before["remaining"] - 1
    assert upstream_balance(stack, SICK, CHLOE) == after["remaining"]
    assert after["unit"] == "DAYS" and after["policy"]["name"] == "Sick leave"
    gone = mutate(stack, "withdraw", {"ids": [approval["id"]]}, "approvals { status }")
    assert gone["userErrors"] == [] and gone["approvals"] == [{"status": "WITHDRAWN"}]
    assert balances(stack, CHLOE)["Sick leave"]["remaining"] == before["remaining"]
    assert upstream_balance(stack, SICK, CHLOE) == before["remaining"]


def test_a_vacation_request_waits_in_the_managers_inbox(stack: Stack) -> None:
    start = ANCHOR + dt.timedelta(days=35)
    made = request(
        stack,
        policyId=policy(VACATION),
        startDate=start.isoformat(),
        endDate=(start + dt.timedelta(days=2)).isoformat(),
    )
    assert made["userErrors"] == [] and made["approval"]["status"] == "PENDING"
    inbox = stack.data(
        """query($a: [ID!]) { approvals(first: 200, filter: {awaitingApproverIds: $a,
          kinds: [TIME_OFF]}) { edges { node { id } } } }""",
        {"a": [person(Platform.CLOCKIFY, ANA_C)]},
    )
    assert made["approval"]["id"] in {e["node"]["id"] for e in inbox["approvals"]["edges"]}


def test_a_half_day_is_a_half(stack: Stack) -> None:
    day = (ANCHOR + dt.timedelta(days=22)).isoformat()
    made = request(stack, startDate=day, endDate=day, halfDay="SECOND_HALF")
    assert made["userErrors"] == []
    [dto] = [
        d
        for d in stack.clockify.workspace.time_off.values()
        if d["note"] is None and d["balanceDiff"] == 0.5
    ]
    assert dto["timeOffPeriod"]["halfDayPeriod"] == "SECOND_HALF"


def test_refusals_are_typed_user_errors_naming_the_field(stack: Stack) -> None:
    start = ANCHOR + dt.timedelta(days=40)
    long = {
        "policyId": policy(VACATION),
        "startDate": start.isoformat(),
        "endDate": (start + dt.timedelta(days=24)).isoformat(),
    }
    before = dict(stack.clockify.workspace.time_off)
    [over] = request(stack, **long)["userErrors"]
    assert over["code"] == "INSUFFICIENT_BALANCE" and over["field"] == ["input", "endDate"]
    assert stack.clockify.workspace.time_off == before  # nothing was requested
    day = (ANCHOR + dt.timedelta(days=23)).isoformat()
    assert request(stack, startDate=day, endDate=day)["userErrors"] == []
    [overlap] = request(stack, startDate=day, endDate=day)["userErrors"]
    assert overlap["code"] == "CONFLICT" and overlap["field"] == ["input", "startDate"]
    writes = len(stack.clockify.log.writes())
    checks = [
        ({"startDate": day, "endDate": ANCHOR.isoformat()}, "endDate", "INVALID_INPUT"),
        (
            {"startDate": ANCHOR.isoformat(), "endDate": day, "halfDay": "FIRST_HALF"},
            "halfDay",
            "INVALID_INPUT",
        ),
        (
            {
                "startDate": day,
                "endDate": day,
                "policyId": encode("TimeTrackingPolicy", Platform.PRODUCTIVE, "1"),
            },
            "policyId",
            "INVALID_INPUT",
        ),
    ]
    for value, field, code in checks:
        [error] = request(stack, **value)["userErrors"]
        assert (error["code"], error["field"]) == (code, ["input", field]), error
    assert len(stack.clockify.log.writes()) == writes  # refused before anything was sent


def test_a_retried_request_with_its_key_is_made_once(stack: Stack) -> None:
    day = (ANCHOR + dt.timedelta(days=24)).isoformat()
    value = {"startDate": day, "endDate": day, "idempotencyKey": "time-off-once-1"}
    first = request(stack, **value)
    again = request(stack, **value)
    assert first == again and first["userErrors"] == []
    posts = [w for w in stack.clockify.log.writes() if w.path.endswith("/requests")]
    assert len(posts) == 1


def test_holidays_on_both_platforms(stack: Stack) -> None:
    query = """query($r: DateRange!, $p: [ID!]) { holidays(dateRange: $r, personIds: $p) {
      platform name startDate endDate calendar people { name } } }"""
    week = {
        "start": (ANCHOR - dt.timedelta(days=7)).isoformat(),
        "end": (ANCHOR + dt.timedelta(days=6)).isoformat(),
    }
    people = [
        person(Platform.PRODUCTIVE, ANA_P),
        person(Platform.PRODUCTIVE, BEN_P),
        person(Platform.CLOCKIFY, ANA_C),
    ]
    stack.reset()
    found = stack.data(query, {"r": week, "p": people})["holidays"]
    # Productive: the holidays, then the followers of each of the two calendars in range;
    # Clockify: one list (no holiday names a user group); and each side's people for names.
    assert stack.counts() == (3 + 1, 1 + 1)
    rows = {
        (
            h["platform"],
            h["name"],
            h["startDate"],
            h["calendar"],
            tuple(sorted(p["name"] for p in h["people"])),
        )
        for h in found
    }
    company = (ANCHOR - dt.timedelta(days=4)).isoformat()
    local = (ANCHOR + dt.timedelta(days=2)).isoformat()
    assert rows == {
        ("PRODUCTIVE", "Company day", company, "Croatia", ("Ana Kovač",)),
        ("PRODUCTIVE", "Company day", company, "Company", ("Ben Okafor",)),
        ("PRODUCTIVE", "Local holiday", local, "Croatia", ("Ana Kovač",)),
        ("CLOCKIFY", "Company day", company, None, ("Ana Kovač",)),
    }
    starts = [h["startDate"] for h in found]
    assert starts == sorted(starts)
    everyone = stack.data(
        "query($r: DateRange!) { holidays(dateRange: $r) { platform name people { name } } }",
        {"r": week},
    )["holidays"]
    assert len(everyone) == 4 and all(h["people"] is None for h in everyone)


def test_a_holiday_range_is_checked_before_any_call(stack: Stack) -> None:
    stack.reset()
    body = stack.gql('{ holidays(dateRange: {start: "2026-12-10", end: "2026-12-01"}) { name } }')
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert stack.counts() == (0, 0)
