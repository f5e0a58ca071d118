"""Productive absences (issue 11): kinds of absence are time-off policies, bookings on them are
time-off requests that can be requested and withdrawn; the refusals name their field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from adapters.base import Platform
from schema.ids import encode
from tests.approvers.seeded import BEN_P, person
from tests.mutations.helpers import mutate
from tests.stack import ANCHOR, Stack

VACATION, SICK = "51", "52"
REQUESTED = (
    "approval { id platform kind status periodStart periodEnd totalMinutes timeOffPolicy { name } }"
)


def event(remote_id: str) -> str:
    return encode("TimeOffPolicy", Platform.PRODUCTIVE, remote_id)


def book(stack: Stack, **value: Any) -> dict[str, Any]:
    base = {"policyId": event(VACATION), "personId": person(Platform.PRODUCTIVE, BEN_P)}
    return mutate(stack, "requestTimeOff", {**base, **value}, REQUESTED)


def test_kinds_of_absence_are_time_off_policies_and_bookings_are_listed(stack: Stack) -> None:
    data = stack.data("""{ policies(first: 50, filter: {platforms: [PRODUCTIVE]}) {
      nodes { __typename name ... on TimeOffPolicy { timeUnit allowHalfDays } } }
      approvals(first: 200, filter: {platforms: [PRODUCTIVE], kinds: [TIME_OFF]}) {
      nodes { remoteId status periodStart periodEnd requester { name } decidedBy { name }
        timeOffPolicy { name } } } }""")
    kinds = {p["name"]: p for p in data["policies"]["nodes"] if p["__typename"] == "TimeOffPolicy"}
    assert kinds["Vacation"]["allowHalfDays"] and not kinds["Sick leave"]["allowHalfDays"]
    absences = {a["remoteId"]: a for a in data["approvals"]["nodes"]}
    assert {k: a["status"] for k, a in absences.items()} == {
        "1101": "APPROVED",
        "1102": "PENDING",
        "1103": "REJECTED",
    }
    assert absences["1101"]["decidedBy"]["name"] == "Ana Kovač"
    assert absences["1103"]["timeOffPolicy"]["name"] == "Sick leave"


def test_an_absence_is_booked_refused_when_it_overlaps_and_withdrawn(stack: Stack) -> None:
    start = ANCHOR + dt.timedelta(days=28)
    value = {"startDate": start.isoformat(), "endDate": (start + dt.timedelta(days=1)).isoformat()}
    made = book(stack, note="Family visit", **value)
    assert made["userErrors"] == []
    approval = made["approval"]
    assert (approval["platform"], approval["kind"], approval["status"]) == (
        "PRODUCTIVE",
        "TIME_OFF",
        "PENDING",
    )
    assert approval["totalMinutes"] == 2 * 480 and approval["timeOffPolicy"]["name"] == "Vacation"
    booked = [
        b for b in stack.productive.store.all("bookings") if b.attributes["note"] == "Family visit"
    ]
    assert len(booked) == 1 and booked[0].ref_id("person") == BEN_P
    [overlap] = book(stack, **value)["userErrors"]
    assert overlap["code"] == "CONFLICT" and overlap["field"] == ["input", "startDate"]
    day = (ANCHOR + dt.timedelta(days=40)).isoformat()
    [half] = book(stack, policyId=event(SICK), startDate=day, endDate=day, halfDay="FIRST_HALF")[
        "userErrors"
    ]
    assert half["code"] == "INVALID_INPUT" and half["field"] == ["input", "halfDay"]
    gone = mutate(stack, "withdraw", {"ids": [approval["id"]]}, "approvals { status }")
    assert gone == {"approvals": [{"status": "WITHDRAWN"}], "userErrors": []}
    assert not [
        b for b in stack.productive.store.all("bookings") if b.attributes["note"] == "Family visit"
    ]


def test_an_approved_absence_is_withdrawn_and_deciding_one_is_refused_per_item(
    stack: Stack,
) -> None:
    approved = encode("Approval", Platform.PRODUCTIVE, "booking/1101")
    pending = encode("Approval", Platform.PRODUCTIVE, "booking/1102")
    back = mutate(stack, "withdraw", {"ids": [approved]}, "approvals { status }")
    assert back == {"approvals": [{"status": "PENDING"}], "userErrors": []}
    booking = stack.productive.store.get("bookings", "1101")
    assert booking is not None and not booking.attributes["approved"]
    entry = stack.data("""{ timeEntries(first: 1, filter: {platforms: [PRODUCTIVE],
      approvalStatuses: [PENDING]}) { nodes { id } } }""")["timeEntries"]["nodes"][0]["id"]
    decided = mutate(stack, "approve", {"ids": [pending, entry]}, "approvals { kind status }")
    [refused] = decided["userErrors"]
    assert refused["code"] == "UNSUPPORTED_ON_PLATFORM" and refused["field"] == [
        "input",
        "ids",
        "0",
    ]
    assert decided["approvals"] == [{"kind": "TIME_ENTRY", "status": "APPROVED"}]
