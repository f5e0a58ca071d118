"""Resubmission after a rejection (issue 11): Clockify's re-submit endpoints, own and for a
user; on Productive, submitting a day again returns its rejected entries to waiting."""

from __future__ import annotations

import datetime as dt

from adapters.base import Platform
from simulators.clockify.seed import WORKSPACE_ID
from tests.approvers.seeded import ANA_C, person
from tests.mutations.helpers import mutate
from tests.stack import ANCHOR, Stack

SUBMITTED = "approvals { kind status remoteId }"


def test_a_rejected_clockify_week_is_resubmitted_through_its_endpoint(stack: Stack) -> None:
    ws = stack.clockify.workspace
    rejected = next(r for r in ws.approvals.values() if r["status"]["state"] == "REJECTED")
    owner = rejected["owner"]["userId"]
    monday = ANCHOR - dt.timedelta(days=7)
    value = {
        "platform": "CLOCKIFY",
        "personId": person(Platform.CLOCKIFY, owner),
        "date": monday.isoformat(),
    }
    made = mutate(stack, "submitForApproval", value, SUBMITTED)
    assert made["userErrors"] == []
    assert made["approvals"] == [
        {"kind": "TIMESHEET", "status": "PENDING", "remoteId": rejected["id"]}
    ]
    assert ws.approvals[rejected["id"]]["status"]["state"] == "PENDING"
    [write] = stack.clockify.log.writes()
    assert write.path.endswith(f"/approval-requests/users/{owner}/resubmit-entries-for-approval")
    [again] = mutate(stack, "submitForApproval", value, SUBMITTED)["userErrors"]
    assert again["code"] == "CONFLICT"


def test_a_day_with_rejected_productive_entries_is_submitted_again(stack: Stack) -> None:
    store = stack.productive.store
    entry = next(e for e in store.all("time_entries") if e.attributes["rejected"])
    owner, day = entry.ref_id("person"), entry.attributes["date"]
    assert owner is not None
    value = {"platform": "PRODUCTIVE", "personId": person(Platform.PRODUCTIVE, owner), "date": day}
    made = mutate(stack, "submitForApproval", value, SUBMITTED)
    assert made["userErrors"] == []
    assert entry.id in {a["remoteId"] for a in made["approvals"]}
    assert {a["status"] for a in made["approvals"]} <= {"PENDING", "APPROVED"}
    assert not entry.attributes["rejected"] and entry.attributes["submitted"]
    [again] = mutate(stack, "submitForApproval", value, SUBMITTED)["userErrors"]
    assert again["code"] == "CONFLICT" and again["field"] == ["input", "date"]


def test_the_viewers_own_week_is_resubmitted_through_the_own_endpoint(stack: Stack) -> None:
    ws = stack.clockify.workspace
    own = next(
        r
        for r in ws.approvals.values()
        if r["owner"]["userId"] == ANA_C and r["status"]["state"] == "PENDING"
    )
    own["status"]["state"] = "REJECTED"  # rejected in Clockify itself
    monday = ANCHOR - dt.timedelta(days=7)
    value = {"platform": "CLOCKIFY", "date": monday.isoformat()}
    made = mutate(stack, "submitForApproval", value, SUBMITTED)
    assert made["userErrors"] == [] and made["approvals"][0]["status"] == "PENDING"
    [write] = stack.clockify.log.writes()
    assert write.path.endswith(f"{WORKSPACE_ID}/approval-requests/resubmit-entries-for-approval")
