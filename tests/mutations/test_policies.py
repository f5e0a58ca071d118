"""Policy mutations: create, update, archive, restore, delete, with documented conflicts."""

from __future__ import annotations

from typing import Any

import pytest

from tests.mutations.helpers import mutate, person_id
from tests.stack import Stack

POLICY = """policy { id __typename name archived
  ... on TimeTrackingPolicy { workingDayLimitHours noteMandatory }
  ... on ApprovalPolicy { kind custom }
  ... on TimeOffPolicy { timeUnit requiresApproval allowHalfDays approvers { email }
    people { email } negativeBalanceLimit } }"""


def policy_names(stack: Stack) -> set[tuple[str, str, bool]]:
    data = stack.data("{ policies(first: 100) { edges { node { __typename name archived } } } }")
    return {
        (e["node"]["__typename"], e["node"]["name"], e["node"]["archived"])
        for e in data["policies"]["edges"]
    }


def lifecycle(
    stack: Stack, policy_id: str, typename: str, name: str, deletable: bool = True
) -> None:
    """Archive, archive again (conflict), restore, restore again (conflict), archive, delete."""
    archived = mutate(stack, "archivePolicy", {"id": policy_id}, POLICY)
    assert archived["userErrors"] == [] and archived["policy"]["archived"] is True
    assert (typename, name, True) in policy_names(stack)
    again = mutate(stack, "archivePolicy", {"id": policy_id}, POLICY)
    assert again["userErrors"][0]["code"] == "CONFLICT"
    restored = mutate(stack, "restorePolicy", {"id": policy_id}, POLICY)
    assert restored["userErrors"] == [] and restored["policy"]["archived"] is False
    twice = mutate(stack, "restorePolicy", {"id": policy_id}, POLICY)
    assert twice["userErrors"][0]["code"] == "CONFLICT"
    mutate(stack, "archivePolicy", {"id": policy_id}, POLICY)
    if not deletable:
        return
    deleted = mutate(stack, "deletePolicy", {"id": policy_id}, "deletedId")
    assert deleted == {"deletedId": policy_id, "userErrors": []}
    assert not any(n == name for _, n, _ in policy_names(stack))


def test_time_tracking_policy_lifecycle(stack: Stack) -> None:
    created = mutate(
        stack,
        "createTimeTrackingPolicy",
        {"name": "Contractors", "workingDayLimitHours": 8, "noteMandatory": True},
        POLICY,
    )
    assert created["userErrors"] == []
    policy = created["policy"]
    assert (policy["__typename"], policy["workingDayLimitHours"], policy["noteMandatory"]) == (
        "TimeTrackingPolicy",
        8.0,
        True,
    )
    updated = mutate(
        stack,
        "updateTimeTrackingPolicy",
        {"id": policy["id"], "workingDayLimitHours": 7.5},
        POLICY,
    )
    assert updated["policy"]["workingDayLimitHours"] == 7.5
    assert updated["policy"]["name"] == "Contractors"
    read = stack.data(
        "query($id: ID!) { node(id: $id) { ... on TimeTrackingPolicy { workingDayLimitHours } } }",
        {"id": policy["id"]},
    )
    assert read["node"] == {"workingDayLimitHours": 7.5}
    lifecycle(stack, policy["id"], "TimeTrackingPolicy", "Contractors")


def test_approval_policy_lifecycle(stack: Stack) -> None:
    created = mutate(
        stack,
        "createApprovalPolicy",
        {"name": "Budget gate", "kind": "BUDGET"},
        POLICY,
    )
    assert created["userErrors"] == [] and created["policy"]["kind"] == "BUDGET"
    updated = mutate(
        stack,
        "updateApprovalPolicy",
        {"id": created["policy"]["id"], "custom": True},
        POLICY,
    )
    assert updated["policy"]["custom"] is True
    lifecycle(stack, created["policy"]["id"], "ApprovalPolicy", "Budget gate", deletable=False)


def test_approval_policies_are_archived_not_deleted(stack: Stack) -> None:
    """Defect 12: no doc has DELETE /approval_policies/{id}; it was sent anyway."""
    created = mutate(stack, "createApprovalPolicy", {"name": "Gate", "kind": "BUDGET"}, POLICY)
    before = stack.counts()
    refused = mutate(stack, "deletePolicy", {"id": created["policy"]["id"]}, "deletedId")
    assert refused["deletedId"] is None
    assert refused["userErrors"][0]["code"] == "UNSUPPORTED_ON_PLATFORM"
    assert refused["userErrors"][0]["field"] == ["input", "id"]
    assert "archivePolicy" in refused["userErrors"][0]["message"]
    assert stack.counts() == before  # nothing sent
    assert ("ApprovalPolicy", "Gate", False) in policy_names(stack)


def test_time_off_policy_lifecycle(stack: Stack) -> None:
    ana = person_id(stack, "CLOCKIFY", "ana.kovac@example.com")
    ben = person_id(stack, "CLOCKIFY", "ben.okafor@example.com")
    created = mutate(
        stack,
        "createTimeOffPolicy",
        {
            "name": "Remote days",
            "requiresApproval": True,
            "approverIds": [ana],
            "allowHalfDays": True,
            "timeUnit": "DAYS",
            "personIds": [ben],
        },
        POLICY,
    )
    assert created["userErrors"] == []
    policy = created["policy"]
    assert policy["approvers"] == [{"email": "ana.kovac@example.com"}]
    assert policy["people"] == [{"email": "ben.okafor@example.com"}]
    updated = mutate(
        stack,
        "updateTimeOffPolicy",
        {"id": policy["id"], "allowNegativeBalance": True, "negativeBalanceLimit": 3},
        POLICY,
    )
    assert updated["userErrors"] == []
    assert updated["policy"]["negativeBalanceLimit"] == 3
    read = stack.data(
        "query($id: ID!) { node(id: $id) { ... on TimeOffPolicy { "
        "allowNegativeBalance negativeBalanceLimit } } }",
        {"id": policy["id"]},
    )
    assert read["node"] == {"allowNegativeBalance": True, "negativeBalanceLimit": 3.0}
    assert updated["policy"]["approvers"] == [{"email": "ana.kovac@example.com"}]
    early = mutate(stack, "deletePolicy", {"id": policy["id"]}, "deletedId")
    assert early["userErrors"][0]["code"] == "CONFLICT"
    lifecycle(stack, policy["id"], "TimeOffPolicy", "Remote days")


INVALID: list[tuple[str, dict[str, Any], list[str]]] = [
    ("createTimeTrackingPolicy", {"name": " "}, ["input", "name"]),
    (
        "createTimeTrackingPolicy",
        {"name": "x", "holidayLimitHours": -1},
        ["input", "holidayLimitHours"],
    ),
    ("createApprovalPolicy", {"name": "x"}, ["input", "kind"]),
    (
        "createApprovalPolicy",
        {"name": "x", "kind": "OTHER"},
        ["input", "kind"],
    ),
    ("createTimeOffPolicy", {"name": "x"}, ["input", "requiresApproval"]),
    (
        "createTimeOffPolicy",
        {"name": "x", "requiresApproval": False, "negativeBalanceLimit": 2},
        ["input", "negativeBalanceLimit"],
    ),
    ("archivePolicy", {"id": "bad"}, ["input", "id"]),
]


@pytest.mark.parametrize("name,value,field", INVALID)
def test_invalid_policy_inputs_make_no_upstream_request(
    stack: Stack, name: str, value: dict[str, Any], field: list[str]
) -> None:
    payload = mutate(stack, name, value, "userErrors { field }")
    assert payload["userErrors"][0]["code"] == "INVALID_INPUT"
    assert payload["userErrors"][0]["field"] == field
    assert stack.counts() == (0, 0)


def test_person_of_another_platform_is_refused_for_time_off(stack: Stack) -> None:
    ana_p = person_id(stack, "PRODUCTIVE", "ana.kovac@example.com")
    stack.reset()
    payload = mutate(
        stack,
        "createTimeOffPolicy",
        {"name": "x", "requiresApproval": True, "personIds": [ana_p]},
        POLICY,
    )
    assert payload["userErrors"][0]["field"] == ["input", "personIds", "0"]
    assert stack.counts() == (0, 0)
