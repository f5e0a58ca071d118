"""Who follows which policy (issue 11): a person's own time tracking policy changes the
effective one; approval policy assignments on budgets decide whose inbox an entry lands in."""

from __future__ import annotations

from typing import Any

from adapters.base import Platform
from schema.ids import encode
from tests.approvers.seeded import ANA_P, BEN_P, person, productive_awaiting
from tests.mutations.helpers import mutate
from tests.stack import Stack

POLICIES = """query($id: ID!) { node(id: $id) { ... on Person {
  timeTrackingPolicy { name } assignedTimeTrackingPolicy { name } } } }"""
ASSIGNED = "person { timeTrackingPolicy { name } assignedTimeTrackingPolicy { name } }"


def tracking(remote_id: str) -> str:
    return encode("TimeTrackingPolicy", Platform.PRODUCTIVE, remote_id)


def approval_policy(remote_id: str) -> str:
    return encode("ApprovalPolicy", Platform.PRODUCTIVE, remote_id)


def policies_of(stack: Stack, remote_id: str) -> dict[str, Any]:
    found: dict[str, Any] = stack.data(POLICIES, {"id": person(Platform.PRODUCTIVE, remote_id)})[
        "node"
    ]
    return found


def test_assigning_a_policy_changes_the_effective_one_and_clearing_it_inherits(
    stack: Stack,
) -> None:
    ben = person(Platform.PRODUCTIVE, BEN_P)
    assert policies_of(stack, BEN_P) == {
        "timeTrackingPolicy": {"name": "Organization default"},
        "assignedTimeTrackingPolicy": None,
    }
    made = mutate(
        stack, "assignTimeTrackingPolicy", {"personId": ben, "policyId": tracking("3")}, ASSIGNED
    )
    assert made["userErrors"] == []
    assert made["person"] == {
        "timeTrackingPolicy": {"name": "Team leads"},
        "assignedTimeTrackingPolicy": {"name": "Team leads"},
    }
    upstream = stack.productive.store.get("people", BEN_P)
    assert upstream is not None and upstream.attributes["time_tracking_policy_id"] == 3
    people = stack.data(
        """query($id: ID!) { node(id: $id) { ... on TimeTrackingPolicy {
          people(first: 10) { totalCount nodes { remoteId } } } } }""",
        {"id": tracking("3")},
    )["node"]["people"]
    assert {n["remoteId"] for n in people["nodes"]} == {ANA_P, BEN_P} and people["totalCount"] == 2
    cleared = mutate(
        stack, "assignTimeTrackingPolicy", {"personId": ben, "policyId": None}, ASSIGNED
    )
    assert cleared["userErrors"] == [] and cleared["person"] == {
        "timeTrackingPolicy": {"name": "Organization default"},
        "assignedTimeTrackingPolicy": None,
    }


def test_an_archived_or_foreign_policy_is_refused(stack: Stack) -> None:
    ben = person(Platform.PRODUCTIVE, BEN_P)
    [archived] = mutate(
        stack, "assignTimeTrackingPolicy", {"personId": ben, "policyId": tracking("4")}, ASSIGNED
    )["userErrors"]
    assert archived["code"] == "CONFLICT" and archived["field"] == ["input", "policyId"]
    clockify_person = encode("Person", Platform.CLOCKIFY, "0" * 24)
    [foreign] = mutate(
        stack,
        "assignTimeTrackingPolicy",
        {"personId": clockify_person, "policyId": tracking("3")},
        ASSIGNED,
    )["userErrors"]
    assert foreign["code"] == "UNSUPPORTED_ON_PLATFORM" and foreign["field"] == [
        "input",
        "personId",
    ]


ASSIGNMENTS = """query($id: ID!) { node(id: $id) { ... on ApprovalPolicy {
  assignments { id target budgetRemoteId person { remoteId } policy { name } } } } }"""


def assignments(stack: Stack, remote_id: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = stack.data(ASSIGNMENTS, {"id": approval_policy(remote_id)})[
        "node"
    ]["assignments"]
    return found


def test_moving_a_budget_to_another_policy_moves_its_entries_to_that_approvers_inbox(
    stack: Stack,
) -> None:
    budgets = assignments(stack, "12")
    assert {(a["target"], a["budgetRemoteId"]) for a in budgets} == {
        ("BUDGET", "401"),
        ("BUDGET", "402"),
    }
    assert {a["policy"]["name"] for a in budgets} == {"Budget approvals"}
    absences = assignments(stack, "11")
    assert {a["target"] for a in absences} == {"PERSON"} and len(absences) == 9
    before_ana, before_ben = productive_awaiting(stack, ANA_P), productive_awaiting(stack, BEN_P)
    # One policy per budget: assigning another is a conflict until the first is removed.
    [taken] = mutate(
        stack,
        "assignApprovalPolicy",
        {"policyId": approval_policy("14"), "budgetRemoteId": "401"},
        "assignment { id }",
    )["userErrors"]
    assert taken["code"] == "CONFLICT" and taken["field"] == ["input", "budgetRemoteId"]
    first = next(a for a in budgets if a["budgetRemoteId"] == "401")
    removed = mutate(stack, "unassignApprovalPolicy", {"assignmentId": first["id"]}, "unassignedId")
    assert removed == {"unassignedId": first["id"], "userErrors": []}
    made = mutate(
        stack,
        "assignApprovalPolicy",
        {"policyId": approval_policy("14"), "budgetRemoteId": "401"},
        "assignment { target budgetRemoteId policy { name } }",
    )
    assert made["userErrors"] == [] and made["assignment"] == {
        "target": "BUDGET",
        "budgetRemoteId": "401",
        "policy": {"name": "Internal time approvals"},
    }
    moved = before_ana - productive_awaiting(stack, ANA_P)
    assert moved and moved <= productive_awaiting(stack, BEN_P) - before_ben
    inbox = stack.data(
        """query($a: [ID!]) { approvals(first: 200, filter: {awaitingApproverIds: $a,
          platforms: [PRODUCTIVE]}) { edges { node { remoteId } } } }""",
        {"a": [person(Platform.PRODUCTIVE, BEN_P)]},
    )
    assert {e["node"]["remoteId"] for e in inbox["approvals"]["edges"]} == productive_awaiting(
        stack, BEN_P
    )


def test_assigning_a_person_needs_exactly_one_target(stack: Stack) -> None:
    [both] = mutate(
        stack,
        "assignApprovalPolicy",
        {
            "policyId": approval_policy("11"),
            "personId": person(Platform.PRODUCTIVE, BEN_P),
            "budgetRemoteId": "401",
        },
        "assignment { id }",
    )["userErrors"]
    assert both["code"] == "INVALID_INPUT"
    [bad] = mutate(
        stack,
        "assignApprovalPolicy",
        {"policyId": approval_policy("11"), "budgetRemoteId": "../people"},
        "assignment { id }",
    )["userErrors"]
    assert bad["field"] == ["input", "budgetRemoteId"]
    assert stack.productive.log.writes() == []
