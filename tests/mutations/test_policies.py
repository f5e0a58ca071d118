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


def lifecycle(stack: Stack, policy_id: str, typename: str, name: str) -> None:
    """Archive, archive again (conflict), restore, restore again (conflict), archive, delete."""
    archived = mutate(stack, "archivePolicy", "PolicyIdInput", {"id": policy_id}, POLICY)
    assert archived["userErrors"] == [] and archived["policy"]["archived"] is True
    assert (typename, name, True) in policy_names(stack)
    again = mutate(stack, "archivePolicy", "PolicyIdInput", {"id": policy_id}, POLICY)
    assert again["userErrors"][0]["code"] == "CONFLICT"
    restored = mutate(stack, "restorePolicy", "PolicyIdInput", {"id": policy_id}, POLICY)
    assert restored["userErrors"] == [] and restored["policy"]["archived"] is False
    twice = mutate(stack, "restorePolicy", "PolicyIdInput", {"id": policy_id}, POLICY)
    assert twice["userErrors"][0]["code"] == "CONFLICT"
    mutate(stack, "archivePolicy", "PolicyIdInput", {"id": policy_id}, POLICY)
    deleted = mutate(stack, "deletePolicy", "PolicyIdInput", {"id": policy_id}, "deletedId")
    assert deleted == {"deletedId": policy_id, "userErrors": []}
    assert not any(n == name for _, n, _ in policy_names(stack))


def test_time_tracking_policy_lifecycle(stack: Stack) -> None:
    created = mutate(
        stack,
        "createTimeTrackingPolicy",
        "TimeTrackingPolicyInput",
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
        "TimeTrackingPolicyInput",
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
        "ApprovalPolicyInput",
        {"name": "Budget gate", "kind": "BUDGET"},
        POLICY,
    )
    assert created["userErrors"] == [] and created["policy"]["kind"] == "BUDGET"
    updated = mutate(
        stack,
        "updateApprovalPolicy",
        "ApprovalPolicyInput",
        {"id": created["policy"]["id"], "custom": True},
        POLICY,
    )
    assert updated["policy"]["custom"] is True
    lifecycle(stack, created["policy"]["id"], "ApprovalPolicy", "Budget gate")


def test_time_off_policy_lifecycle(stack: Stack) -> None:
    ana = person_id(stack, "CLOCKIFY", "ana.kovac@example.com")
    ben = person_id(stack, "CLOCKIFY", "ben.okafor@example.com")
    created = mutate(
        stack,
        "createTimeOffPolicy",
        "TimeOffPolicyInput",
        {
            "name": "Remote days",
            "requiresApproval": True,
            "approvers": [ana],
            "allowHalfDays": True,
            "timeUnit": "DAYS",
            "people": [ben],
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
        "TimeOffPolicyInput",
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
    early = mutate(stack, "deletePolicy", "PolicyIdInput", {"id": policy["id"]}, "deletedId")
    assert early["userErrors"][0]["code"] == "CONFLICT"
    lifecycle(stack, policy["id"], "TimeOffPolicy", "Remote days")


INVALID: list[tuple[str, str, dict[str, Any], list[str]]] = [
    ("createTimeTrackingPolicy", "TimeTrackingPolicyInput", {"name": " "}, ["input", "name"]),
    (
        "createTimeTrackingPolicy",
        "TimeTrackingPolicyInput",
        {"name": "x", "holidayLimitHours": -1},
        ["input", "holidayLimitHours"],
    ),
    ("updateTimeTrackingPolicy", "TimeTrackingPolicyInput", {"name": "x"}, ["input", "id"]),
    ("createApprovalPolicy", "ApprovalPolicyInput", {"name": "x"}, ["input", "kind"]),
    (
        "createApprovalPolicy",
        "ApprovalPolicyInput",
        {"name": "x", "kind": "OTHER"},
        ["input", "kind"],
    ),
    ("createTimeOffPolicy", "TimeOffPolicyInput", {"name": "x"}, ["input", "requiresApproval"]),
    (
        "createTimeOffPolicy",
        "TimeOffPolicyInput",
        {"name": "x", "requiresApproval": False, "negativeBalanceLimit": 2},
        ["input", "negativeBalanceLimit"],
    ),
    ("archivePolicy", "PolicyIdInput", {"id": "bad"}, ["input", "id"]),
]


@pytest.mark.parametrize("name,input_type,value,field", INVALID)
def test_invalid_policy_inputs_make_no_upstream_request(
    stack: Stack, name: str, input_type: str, value: dict[str, Any], field: list[str]
) -> None:
    payload = mutate(stack, name, input_type, value, "userErrors { field }")
    assert payload["userErrors"][0]["code"] == "INVALID_INPUT"
    assert payload["userErrors"][0]["field"] == field
    assert stack.counts() == (0, 0)


def test_person_of_another_platform_is_refused_for_time_off(stack: Stack) -> None:
    ana_p = person_id(stack, "PRODUCTIVE", "ana.kovac@example.com")
    stack.reset()
    payload = mutate(
        stack,
        "createTimeOffPolicy",
        "TimeOffPolicyInput",
        {"name": "x", "requiresApproval": True, "people": [ana_p]},
        POLICY,
    )
    assert payload["userErrors"][0]["field"] == ["input", "people", "0"]
    assert stack.counts() == (0, 0)
