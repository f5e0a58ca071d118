"""Write-side defects a frontend team found (issue 10, items 8, 11, 13 and 16), each shown
through GraphQL over HTTP and checked in the simulators' logs and state."""

from __future__ import annotations

import json

from simulators.faults import ScriptedFault
from tests.mutations.helpers import mutate, person_id
from tests.stack import Stack

ENTRY = "timeEntry { id billable billableMinutes durationMinutes }"


def productive_service(stack: Stack) -> str:
    data = stack.data("""{ timeEntries(first: 1, filter: {platforms: [PRODUCTIVE]}) {
      edges { node { service { id } } } } }""")
    return str(data["timeEntries"]["edges"][0]["node"]["service"]["id"])


def drafts(stack: Stack, count: int) -> list[str]:
    data = stack.data(
        """query($n: Int!) { timeEntries(first: $n, filter: {platforms: [PRODUCTIVE],
        approvalStatuses: [DRAFT]}) { edges { node { id } } } }""",
        {"n": count},
    )
    return [e["node"]["id"] for e in data["timeEntries"]["edges"]]


def test_productive_billable_false_and_true_reach_billable_time(stack: Stack) -> None:
    """Defect 8: `billable: false` was dropped silently and `billable: true` refused."""
    service = productive_service(stack)
    base = {"platform": "PRODUCTIVE", "serviceId": service, "date": "2026-11-19"}
    unbilled = mutate(
        stack, "createTimeEntry", {**base, "durationMinutes": 45, "billable": False}, ENTRY
    )
    billed = mutate(
        stack, "createTimeEntry", {**base, "durationMinutes": 30, "billable": True}, ENTRY
    )
    assert unbilled["userErrors"] == [] and billed["userErrors"] == []
    assert (unbilled["timeEntry"]["billable"], unbilled["timeEntry"]["billableMinutes"]) == (
        False,
        0,
    )
    assert (billed["timeEntry"]["billable"], billed["timeEntry"]["billableMinutes"]) == (True, 30)
    bodies = [json.loads(r.body) for r in stack.productive.log.writes()]
    assert [b["data"]["attributes"]["billable_time"] for b in bodies] == [0, 30]
    # Billable without a new duration bills the entry's whole current time.
    changed = mutate(
        stack, "updateTimeEntry", {"id": unbilled["timeEntry"]["id"], "billable": True}, ENTRY
    )
    assert changed["timeEntry"]["billableMinutes"] == 45


def test_productive_approval_uses_the_documented_routes(stack: Stack) -> None:
    """Defect 11: one entry goes to PATCH /time_entries/{id}/approve, several to
    /time_entries/bulk_approve with {"ids": [...]}, as productive-time-entries.txt shows."""
    one, *more = drafts(stack, 4)
    stack.reset()
    single = mutate(stack, "approve", {"ids": [one]}, "approvals { status }")
    assert single["approvals"] == [{"status": "APPROVED"}]
    several = mutate(stack, "approve", {"ids": more}, "approvals { status }")
    assert [a["status"] for a in several["approvals"]] == ["APPROVED"] * 3
    writes = stack.productive.log.writes()
    assert [w.path.rsplit("/", 1)[-1] for w in writes] == ["approve", "bulk_approve"]
    assert writes[0].path.startswith("/api/v2/time_entries/2")
    ids = json.loads(writes[1].body)["ids"]
    assert len(ids) == 3 and all(isinstance(i, int) for i in ids)
    withdrawn = mutate(stack, "withdraw", {"ids": more}, "approvals { status }")
    assert [a["status"] for a in withdrawn["approvals"]] == ["DRAFT"] * 3
    assert stack.productive.log.writes()[-1].path == "/api/v2/time_entries/bulk_unapprove"


def test_productive_approval_falls_back_to_the_ext_bulk_form(stack: Stack) -> None:
    """Where bulk_approve is unknown (404), the reference's ext=bulk form is used; the 404 is
    not reported as a missing entry."""
    ids = drafts(stack, 2)
    stack.reset()
    stack.productive.settings.faults.script.append(
        ScriptedFault("status", status=404, method="PATCH", path_contains="/bulk_approve")
    )
    approved = mutate(stack, "approve", {"ids": ids}, "approvals { status }")
    assert approved["userErrors"] == []
    assert [a["status"] for a in approved["approvals"]] == ["APPROVED"] * 2
    paths = [w.path for w in stack.productive.log.writes()]
    assert paths == ["/api/v2/time_entries/bulk_approve", "/api/v2/time_entries/approve"]


def test_clockify_submits_the_week_of_the_given_day_east_of_greenwich(stack: Stack) -> None:
    """Defect 13: for a person in Europe/Zagreb, 2026-11-18 submitted the week of 11-09."""
    ana = person_id(stack, "CLOCKIFY", "ana.kovac@example.com")
    week = mutate(
        stack,
        "submitForApproval",
        {"platform": "CLOCKIFY", "personId": ana, "date": "2026-11-18"},
        "approvals { periodStart periodEnd }",
    )
    assert week["userErrors"] == []
    assert week["approvals"] == [{"periodStart": "2026-11-16", "periodEnd": "2026-11-22"}]
    [sent] = stack.clockify.log.writes()
    assert json.loads(sent.body)["periodStart"] == "2026-11-16T00:00:00Z"


def test_resumed_and_stopped_entries_are_read_after_the_write(stack: Stack) -> None:
    """Defect 16: a resumed entry answered running: false, and the entry a switch stopped had
    no duration, because both were answered from reads made before the write."""
    entry = drafts(stack, 1)[0]
    resumed = mutate(
        stack,
        "startTimer",
        {"platform": "PRODUCTIVE", "timeEntryId": entry, "stopRunning": True},
        "timer { running timeEntry { id running } }",
    )
    assert resumed["userErrors"] == []
    assert resumed["timer"]["running"] is True
    assert resumed["timer"]["timeEntry"] == {"id": entry, "running": True}
    ben = person_id(stack, "CLOCKIFY", "ben.okafor@example.com")
    switched = mutate(
        stack,
        "switchTimer",
        {"platform": "CLOCKIFY", "personId": ben, "note": "Next"},
        "stoppedTimer { running timeEntry { running durationSeconds } }",
    )
    stopped = switched["stoppedTimer"]
    assert stopped["running"] is False
    assert stopped["timeEntry"]["running"] is False
    assert stopped["timeEntry"]["durationSeconds"] > 0
