"""The simulators' approver and absence endpoints (issue 11) answer in the documented shapes
and refuse what they should: Clockify's validated against the official OpenAPI schemas."""

from __future__ import annotations

from typing import Any

import pytest

from simulators.clockify.app import MEMBER_KEY
from simulators.clockify.store import object_id
from tests.simulators.test_clockify_fidelity import ADMIN, BEN, WS, call, checked
from tests.simulators.test_productive_fidelity import call as productive
from tests.stack import Stack

CHLOE, DEV = object_id("user", 2), object_id("user", 3)
VACATION, SICK = object_id("policy", 0), object_id("policy", 1)


@pytest.mark.parametrize(
    "path",
    [
        f"{WS}/users/{CHLOE}/managers",
        f"{WS}/time-off/balance/user/{CHLOE}",
        f"{WS}/time-off/balance/policy/{VACATION}",
    ],
)
def test_clockify_approver_reads_match_the_official_schemas(stack: Stack, path: str) -> None:
    assert checked(stack, "GET", path)


def test_clockify_managers_are_the_seeded_ones(stack: Stack) -> None:
    managers = checked(stack, "GET", f"{WS}/users/{CHLOE}/managers")
    assert {m["id"] for m in managers} == {ADMIN, BEN}
    # A member may read the managers of their team, not of others.
    assert call(stack, "GET", f"{WS}/users/{CHLOE}/managers", key=MEMBER_KEY).status_code == 200
    other = object_id("user", 4)
    assert call(stack, "GET", f"{WS}/users/{other}/managers", key=MEMBER_KEY).status_code == 403


def test_clockify_holidays_in_a_period_need_their_parameters(stack: Stack) -> None:
    missing = call(stack, "GET", f"{WS}/holidays/in-period", params={"assigned-to": BEN})
    assert missing.status_code == 400 and missing.json()["code"] == 400
    params = {"assigned-to": BEN, "start": "2026-11-01", "end": "2026-11-30"}
    found = checked(stack, "GET", f"{WS}/holidays/in-period", params=params)
    assert [h["name"] for h in found] == ["Company day"]
    created = checked(
        stack,
        "POST",
        f"{WS}/holidays",
        {
            "name": "New Year",
            "datePeriod": {"startDate": "2020-01-01", "endDate": "2020-01-01"},
            "occursAnnually": True,
            "users": {"ids": [BEN], "contains": "CONTAINS", "status": "ALL"},
        },
    )
    params = {"assigned-to": BEN, "start": "2026-12-28", "end": "2027-01-03"}
    assert [h["id"] for h in checked(stack, "GET", f"{WS}/holidays/in-period", params=params)] == [
        created["id"]
    ]
    assert call(stack, "DELETE", f"{WS}/holidays/{created['id']}").status_code == 200


def test_clockify_balances_follow_requests_and_can_be_set(stack: Stack) -> None:
    def balance(policy: str) -> dict[str, Any]:
        found = checked(stack, "GET", f"{WS}/time-off/balance/user/{CHLOE}")
        return next(b for b in found["balances"] if b["policyId"] == policy)

    assert balance(VACATION)["balance"] == 20
    set_to = call(
        stack, "PATCH", f"{WS}/time-off/balance/policy/{VACATION}", {"userIds": [CHLOE], "value": 1}
    )
    assert set_to.status_code == 204 and balance(VACATION)["balance"] == 1
    two_days = {
        "timeOffPeriod": {
            "period": {"start": "2026-12-14T00:00:00Z", "end": "2026-12-15T23:59:59Z"}
        }
    }
    over = call(
        stack, "POST", f"{WS}/time-off/policies/{VACATION}/users/{CHLOE}/requests", two_days
    )
    assert over.status_code == 400 and "balance" in over.json()["message"].lower()
    member = call(
        stack,
        "PATCH",
        f"{WS}/time-off/balance/policy/{VACATION}",
        {"userIds": [CHLOE], "value": 5},
        key=MEMBER_KEY,
    )
    assert member.status_code == 403


def test_clockify_resubmission_reopens_a_rejected_week_only(stack: Stack) -> None:
    ws = stack.clockify.workspace
    rejected = next(r for r in ws.approvals.values() if r["status"]["state"] == "REJECTED")
    owner = rejected["owner"]["userId"]
    # The docs write periodStart as the period's first day at midnight UTC.
    body = {"period": "WEEKLY", "periodStart": "2026-11-09T00:00:00Z"}
    path = f"{WS}/approval-requests/users/{owner}/resubmit-entries-for-approval"
    done = call(stack, "POST", path, body)
    assert done.status_code == 200 and not done.content
    assert ws.approvals[rejected["id"]]["status"]["state"] == "PENDING"
    again = call(stack, "POST", path, body)
    assert again.status_code == 400


def test_clockify_self_approval_is_a_setting(stack: Stack) -> None:
    ws = stack.clockify.workspace
    own = next(
        r
        for r in ws.approvals.values()
        if r["owner"]["userId"] == ADMIN and r["status"]["state"] == "PENDING"
    )
    stack.clockify.settings.self_approval = False
    try:
        refused = call(stack, "PATCH", f"{WS}/approval-requests/{own['id']}", {"state": "APPROVED"})
        assert refused.status_code == 403
    finally:
        stack.clockify.settings.self_approval = True
    assert (
        call(
            stack, "PATCH", f"{WS}/approval-requests/{own['id']}", {"state": "APPROVED"}
        ).status_code
        == 200
    )


def test_productive_assignments_refuse_a_second_policy_for_one_target(stack: Stack) -> None:
    listed = productive(
        stack, "GET", "/approval_policy_assignments", **{"filter[target_type]": "Quote"}
    )
    assert listed.status_code == 200
    assert {r["attributes"]["target_id"] for r in listed.json()["data"]} == {401, 402, 403}
    body = {
        "data": {
            "type": "approval_policy_assignments",
            "attributes": {"target_type": "Quote", "target_id": 401},
            "relationships": {
                "approval_policy": {"data": {"type": "approval_policies", "id": "14"}}
            },
        }
    }
    taken = productive(stack, "POST", "/approval_policy_assignments", body)
    assert taken.status_code == 422
    assert taken.json()["errors"][0]["source"]["pointer"] == "data/attributes/target_id"
    body["data"]["attributes"]["target_type"] = "Budget"
    assert productive(stack, "POST", "/approval_policy_assignments", body).status_code == 422


def test_productive_entries_filter_by_who_approves_them(stack: Stack) -> None:
    ana = "8160"
    awaiting = productive(
        stack,
        "GET",
        "/time_entries",
        **{"filter[awaiting_approval_from_approver_id]": ana, "page[size]": "200"},
    ).json()["data"]
    assert awaiting and all(e["attributes"]["submitted"] for e in awaiting)
    assert not any(e["attributes"]["approved"] or e["attributes"]["rejected"] for e in awaiting)
    assigned = productive(
        stack,
        "GET",
        "/time_entries",
        **{"filter[assigned_approver_id]": ana, "page[size]": "1"},
    ).json()["meta"]["total_count"]
    assert assigned > len(awaiting)


def test_productive_holidays_by_calendar_and_range(stack: Stack) -> None:
    found = productive(
        stack,
        "GET",
        "/holidays",
        **{
            "filter[holiday_calendar_id]": "81",
            "filter[after]": "2026-11-01",
            "filter[before]": "2026-11-30",
        },
    ).json()["data"]
    assert sorted(h["attributes"]["name"] for h in found) == ["Company day", "Local holiday"]
    followers = productive(stack, "GET", "/people", **{"filter[holiday_calendar_id]": "82"})
    assert followers.status_code == 200 and followers.json()["data"]
