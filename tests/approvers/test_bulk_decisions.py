"""Bulk decisions from the inbox (issue 11): one approve over both platforms, entries and
requests, reports per item, and a failure on one item or one platform hides nothing else."""

from __future__ import annotations

from adapters.base import Platform
from simulators.faults import ScriptedFault
from tests.approvers.seeded import ANA_C, ANA_P, person
from tests.mutations.helpers import mutate
from tests.stack import Stack

APPROVALS = "approvals { id platform kind status }"
INBOX = """query($a: [ID!]) { approvals(first: 200, filter: {awaitingApproverIds: $a}) {
  edges { node { id platform kind } } } }"""


def inbox(stack: Stack) -> dict[str, list[str]]:
    approvers = [person(Platform.PRODUCTIVE, ANA_P), person(Platform.CLOCKIFY, ANA_C)]
    nodes = [e["node"] for e in stack.data(INBOX, {"a": approvers})["approvals"]["edges"]]
    out: dict[str, list[str]] = {}
    for n in nodes:
        out.setdefault(n["kind"], []).append(n["id"])
    return out


def test_a_mixed_bulk_approve_reports_per_item_and_a_failing_platform_hides_nothing(
    stack: Stack,
) -> None:
    items = inbox(stack)
    ids = [
        items["TIME_ENTRY"][0],
        items["TIMESHEET"][0],
        items["TIME_OFF"][0],
        items["TIME_ENTRY"][1],
    ]
    # Clockify's approval requests cannot be read (every retry too): the timesheet fails.
    stack.clockify.settings.faults.script.append(
        ScriptedFault(
            "status", status=503, method="GET", path_contains="/approval-requests", times=20
        )
    )
    payload = mutate(stack, "approve", {"ids": ids}, APPROVALS)
    by_id = {a["id"]: a for a in payload["approvals"]}
    assert by_id[ids[0]]["status"] == by_id[ids[3]]["status"] == "APPROVED"
    assert by_id[ids[2]]["kind"] == "TIME_OFF" and by_id[ids[2]]["status"] == "APPROVED"
    [failed] = payload["userErrors"]
    assert failed["code"] == "UPSTREAM_UNAVAILABLE" and failed["field"] == ["input", "ids", "1"]
    assert "Clockify" in failed["message"]
    stack.clockify.settings.faults.clear()
    # Nothing was sent for the failed item: retried alone, it goes through.
    retried = mutate(stack, "approve", {"ids": [ids[1]]}, APPROVALS)
    assert retried["userErrors"] == [] and retried["approvals"][0]["status"] == "APPROVED"


def test_an_item_upstream_refuses_is_reported_while_the_others_are_approved(stack: Stack) -> None:
    stack.clockify.settings.self_approval = False
    try:
        ws = stack.clockify.workspace
        own = next(
            r["id"]
            for r in ws.approvals.values()
            if r["owner"]["userId"] == ANA_C and r["status"]["state"] == "PENDING"
        )
        items = inbox(stack)
        own_id = next(
            n["node"]["id"]
            for n in stack.data(
                """{ approvals(first: 200, filter: {platforms: [CLOCKIFY], kinds: [TIMESHEET],
                  statuses: [PENDING]}) { edges { node { id remoteId } } } }"""
            )["approvals"]["edges"]
            if n["node"]["remoteId"] == own
        )
        ids = [own_id, items["TIMESHEET"][0], items["TIME_ENTRY"][0]]
        payload = mutate(stack, "approve", {"ids": ids, "idempotencyKey": "bulk-own-1"}, APPROVALS)
        [refused] = payload["userErrors"]
        assert refused["code"] == "FORBIDDEN" and refused["field"] == ["input", "ids", "0"]
        assert [a["id"] for a in payload["approvals"]] == ids[1:]
        assert ws.approvals[own]["status"]["state"] == "PENDING"
        # Retry-safe: the same key answers the same, and sends nothing again.
        writes = len(stack.clockify.log.writes()) + len(stack.productive.log.writes())
        again = mutate(stack, "approve", {"ids": ids, "idempotencyKey": "bulk-own-1"}, APPROVALS)
        assert again == payload
        assert len(stack.clockify.log.writes()) + len(stack.productive.log.writes()) == writes
    finally:
        stack.clockify.settings.self_approval = True
