"""approve, reject, withdraw and submitForApproval over mixed IDs."""

from __future__ import annotations

from typing import Any

from tests.mutations.helpers import mutate, person_id, writes
from tests.stack import Stack

APPROVALS = "approvals { id platform kind status note decidedBy { name } }"


def seeded(stack: Stack) -> dict[str, Any]:
    data = stack.data("""{
      drafts: timeEntries(first: 6, filter: {platforms: [PRODUCTIVE], approvalStatuses: [DRAFT]})
        { edges { node { id } } }
      approved: timeEntries(first: 1, filter: {platforms: [PRODUCTIVE],
        approvalStatuses: [APPROVED]}) { edges { node { id } } }
      approvals(first: 200) { edges { node { id kind status platform } } } }""")
    nodes = [e["node"] for e in data["approvals"]["edges"]]
    return {
        "drafts": [e["node"]["id"] for e in data["drafts"]["edges"]],
        "approved": data["approved"]["edges"][0]["node"]["id"],
        "sheet": next(
            n["id"] for n in nodes if n["kind"] == "TIMESHEET" and n["status"] == "PENDING"
        ),
        "approved_sheet": next(
            n["id"] for n in nodes if n["kind"] == "TIMESHEET" and n["status"] == "APPROVED"
        ),
        "time_off": next(
            n["id"]
            for n in nodes
            if n["kind"] == "TIME_OFF" and n["status"] == "PENDING" and n["platform"] == "CLOCKIFY"
        ),
    }


def status_of(stack: Stack, ids: list[str]) -> list[str]:
    data = stack.data(
        "query($ids: [ID!]!) { nodes(ids: $ids) { ... on Approval { status } "
        "... on TimeEntry { approvalStatus } } }",
        {"ids": ids},
    )
    return [n.get("status") or n.get("approvalStatus") for n in data["nodes"]]


def test_approving_five_where_one_is_approved_approves_four_in_one_bulk_request(
    stack: Stack,
) -> None:
    s = seeded(stack)
    ids = [*s["drafts"][:4], s["approved"]]
    stack.reset()
    payload = mutate(stack, "approve", {"ids": ids}, APPROVALS)
    assert [a["status"] for a in payload["approvals"]] == ["APPROVED"] * 4
    [conflict] = payload["userErrors"]
    assert conflict["code"] == "CONFLICT" and conflict["field"] == ["input", "ids", "4"]
    productive_writes = stack.productive.log.writes()
    assert [(w.method, w.path) for w in productive_writes] == [
        ("PATCH", "/api/v2/time_entries/bulk_approve")
    ]
    assert status_of(stack, ids) == ["APPROVED"] * 5


def test_mixed_platforms_in_one_call(stack: Stack) -> None:
    s = seeded(stack)
    ids = [s["drafts"][0], s["sheet"], s["time_off"]]
    payload = mutate(stack, "approve", {"ids": ids}, APPROVALS)
    assert payload["userErrors"] == []
    assert [(a["platform"], a["kind"], a["status"]) for a in payload["approvals"]] == [
        ("PRODUCTIVE", "TIME_ENTRY", "APPROVED"),
        ("CLOCKIFY", "TIMESHEET", "APPROVED"),
        ("CLOCKIFY", "TIME_OFF", "APPROVED"),
    ]
    assert status_of(stack, ids) == ["APPROVED"] * 3
    again = mutate(stack, "approve", {"ids": ids}, APPROVALS)
    assert [e["code"] for e in again["userErrors"]] == ["CONFLICT"] * 3
    assert again["approvals"] == []


def test_reject_with_a_reason_then_withdraw(stack: Stack) -> None:
    s = seeded(stack)
    ids = [s["drafts"][1], s["sheet"], s["time_off"]]
    rejected = mutate(stack, "reject", {"ids": ids, "reason": "Split meetings out"}, APPROVALS)
    assert rejected["userErrors"] == []
    assert [a["status"] for a in rejected["approvals"]] == ["REJECTED"] * 3
    assert {a["note"] for a in rejected["approvals"]} == {"Split meetings out"}
    assert status_of(stack, ids) == ["REJECTED"] * 3
    withdrawn = mutate(stack, "withdraw", {"ids": [ids[0]]}, APPROVALS)
    assert withdrawn["userErrors"] == [] and withdrawn["approvals"][0]["status"] == "DRAFT"
    assert status_of(stack, [ids[0]]) == ["DRAFT"]
    unchangeable = mutate(stack, "withdraw", {"ids": ids[1:]}, APPROVALS)
    assert [e["code"] for e in unchangeable["userErrors"]] == ["CONFLICT", "CONFLICT"]


def test_withdraw_an_approval_on_each_platform(stack: Stack) -> None:
    s = seeded(stack)
    payload = mutate(
        stack,
        "withdraw",
        {"ids": [s["approved"], s["approved_sheet"], s["time_off"]]},
        APPROVALS,
    )
    assert payload["userErrors"] == []
    # The unapproved entry was submitted, so it waits for approval again.
    assert [a["status"] for a in payload["approvals"]] == ["PENDING", "WITHDRAWN", "WITHDRAWN"]
    assert sorted(w.method for w in stack.clockify.log.writes()) == ["DELETE", "PATCH"]
    assert status_of(stack, [s["approved"], s["approved_sheet"]]) == ["PENDING", "WITHDRAWN"]
    gone = stack.data("query($id: ID!) { node(id: $id) { id } }", {"id": s["time_off"]})
    assert gone["node"] is None  # Clockify withdraws time off by deleting the request


def test_rejecting_an_approved_entry_is_a_conflict_without_a_write(stack: Stack) -> None:
    s = seeded(stack)
    stack.reset()
    payload = mutate(stack, "reject", {"ids": [s["approved"]], "reason": "no"}, APPROVALS)
    assert payload["approvals"] == [] and payload["userErrors"][0]["code"] == "CONFLICT"
    assert writes(stack) == (0, 0)


def test_clockify_time_entry_ids_are_unsupported_and_nothing_is_sent(stack: Stack) -> None:
    entry = stack.data("""{ timeEntries(first: 1, filter: {platforms: [CLOCKIFY]}) {
      edges { node { id } } } }""")["timeEntries"]["edges"][0]["node"]["id"]
    s = seeded(stack)
    stack.reset()
    payload = mutate(stack, "approve", {"ids": [s["drafts"][0], entry]}, APPROVALS)
    assert payload["userErrors"][0]["code"] == "UNSUPPORTED_ON_PLATFORM"
    assert payload["userErrors"][0]["field"] == ["input", "ids", "1"]
    assert stack.counts() == (0, 0)


def test_submit_for_approval_on_both_platforms(stack: Stack) -> None:
    ben_p = person_id(stack, "PRODUCTIVE", "ben.okafor@example.com")
    ben_c = person_id(stack, "CLOCKIFY", "ben.okafor@example.com")
    day = mutate(
        stack,
        "submitForApproval",
        {"platform": "PRODUCTIVE", "personId": ben_p, "date": "2026-11-18"},
        APPROVALS,
    )
    assert day["userErrors"] == [] and len(day["approvals"]) == 2
    assert {a["status"] for a in day["approvals"]} == {"PENDING"}
    twice = mutate(
        stack,
        "submitForApproval",
        {"platform": "PRODUCTIVE", "personId": ben_p, "date": "2026-11-18"},
        APPROVALS,
    )
    assert twice["userErrors"][0]["code"] == "CONFLICT"
    assert twice["userErrors"][0]["field"] == ["input", "date"]
    week = mutate(
        stack,
        "submitForApproval",
        {"platform": "CLOCKIFY", "personId": ben_c, "date": "2026-11-18"},
        "approvals { kind status periodStart periodEnd requester { email } }",
    )
    assert week["userErrors"] == []
    assert week["approvals"] == [
        {
            "kind": "TIMESHEET",
            "status": "PENDING",
            "periodStart": "2026-11-16",
            "periodEnd": "2026-11-22",
            "requester": {"email": "ben.okafor@example.com"},
        }
    ]
    duplicate = mutate(
        stack,
        "submitForApproval",
        {"platform": "CLOCKIFY", "personId": ben_c, "date": "2026-11-20"},
        APPROVALS,
    )
    assert duplicate["userErrors"][0]["code"] == "CONFLICT"
    assert writes(stack) == (2, 2)
    pending = stack.data(
        """query($ben: ID!) { node(id: $ben) { ... on Person {
      approvals(statuses: [PENDING]) { edges { node { kind periodStart } } } } } }""",
        {"ben": ben_c},
    )["node"]["approvals"]["edges"]
    assert {"kind": "TIMESHEET", "periodStart": "2026-11-16"} in [e["node"] for e in pending]


def test_malformed_ids_fail_the_whole_input_before_any_call(stack: Stack) -> None:
    payload = mutate(stack, "approve", {"ids": ["nonsense"]}, APPROVALS)
    assert payload["userErrors"][0]["field"] == ["input", "ids", "0"]
    assert stack.counts() == (0, 0)
    empty = mutate(stack, "approve", {"ids": []}, APPROVALS)
    assert empty["userErrors"][0]["field"] == ["input", "ids"]
