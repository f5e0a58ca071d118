"""Known answers from the seeded simulators, read from their stores (not through the gateway):
who waits for whom, holidays, managers."""

from __future__ import annotations

from typing import Any

from adapters.base import Platform
from schema.ids import encode
from simulators.clockify.seed import ADMIN_INDEX
from simulators.clockify.store import object_id
from simulators.productive.approval_setup import awaiting_approvers
from simulators.productive.seed import person_ids
from tests.stack import Stack

PRODUCTIVE_IDS = person_ids()
ANA_P, BEN_P = PRODUCTIVE_IDS[0], PRODUCTIVE_IDS[1]
ANA_C, BEN_C = object_id("user", ADMIN_INDEX), object_id("user", 1)


def person(platform: Platform, remote_id: str) -> str:
    return encode("Person", platform, remote_id)


def productive_awaiting(stack: Stack, approver: str) -> set[str]:
    """Productive entries awaiting this approver, by the simulator's own rule."""
    store = stack.productive.store
    return {e.id for e in store.all("time_entries") if approver in awaiting_approvers(e, store)}


def clockify_awaiting(stack: Stack, approver: str) -> set[tuple[str, str]]:
    """(kind, id) of Clockify requests waiting for this approver: pending requests of the
    people they manage (time off only where the policy lets team managers approve, or
    names them)."""
    ws = stack.clockify.workspace
    out: set[tuple[str, str]] = set()
    for request in ws.approvals.values():
        owner = ws.users[request["owner"]["userId"]]
        if request["status"]["state"] == "PENDING" and approver in owner.manager_ids:
            out.add(("TIMESHEET", request["id"]))
    for dto in ws.time_off.values():
        owner = ws.users[dto["userId"]]
        approve: dict[str, Any] = ws.policies[dto["policyId"]]["approve"]
        named = approve["specificMembers"] and approver in approve["userIds"]
        managed = approve["teamManagers"] and approver in owner.manager_ids
        if dto["status"]["statusType"] == "PENDING" and (named or managed):
            out.add(("TIME_OFF", dto["id"]))
    return out
