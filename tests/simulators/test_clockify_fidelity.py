"""The Clockify simulator answers in the shapes of the official OpenAPI spec, with Clockify's
status codes and `{"message", "code"}` error bodies."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import ValidationError

from simulators.clockify.app import DEMO_KEY, MEMBER_KEY
from simulators.clockify.seed import WORKSPACE_ID, user_ids
from simulators.clockify.store import object_id
from tests.simulators.openapi import validate
from tests.stack import Stack

WS = f"/v1/workspaces/{WORKSPACE_ID}"
ADMIN, BEN, GRACE = user_ids()[0], user_ids()[1], user_ids()[6]


def call(
    stack: Stack,
    method: str,
    path: str,
    body: Any = None,
    key: str = DEMO_KEY,
    params: dict[str, Any] | None = None,
) -> Any:
    prefix = "/report" if "/reports/" in path else "/api"
    return stack.client.request(
        method,
        f"{stack.demo.clockify.url}{prefix}{path}",
        json=body,
        params=params,
        headers={"X-Api-Key": key},
    )


def checked(
    stack: Stack, method: str, path: str, body: Any = None, status: int = 200, **kw: Any
) -> Any:
    answer = call(stack, method, path, body, **kw)
    assert answer.status_code == status, answer.text
    payload = answer.json() if answer.content else None
    validate(method, path, status, payload)
    return payload


POLICY = object_id("policy", 0)
PROJECT = object_id("project", 0)

READS = [
    ("GET", "/v1/user", None),
    ("GET", "/v1/workspaces", None),
    ("GET", f"{WS}/users", None),
    ("POST", f"{WS}/users/info", {"email": "example.com"}),
    ("GET", f"{WS}/member-profile/{BEN}", None),
    ("GET", f"{WS}/user/{BEN}/time-entries", None),
    ("GET", f"{WS}/time-entries/status/in-progress", None),
    ("GET", f"{WS}/approval-requests", None),
    ("GET", f"{WS}/time-off/policies", None),
    ("GET", f"{WS}/time-off/policies/{POLICY}", None),
    ("POST", f"{WS}/time-off/requests", {"statuses": ["ALL"]}),
    ("GET", f"{WS}/holidays", None),
    ("GET", f"{WS}/projects", None),
    ("GET", f"{WS}/projects/{PROJECT}", None),
    ("GET", f"{WS}/projects/{PROJECT}/tasks", None),
    ("GET", f"{WS}/tags", None),
    (
        "POST",
        f"{WS}/reports/detailed",
        {
            "dateRangeStart": "2026-11-09T00:00:00Z",
            "dateRangeEnd": "2026-11-15T23:59:59Z",
            "detailedFilter": {"page": 1, "pageSize": 50},
        },
    ),
]


@pytest.mark.parametrize("method,path,body", READS, ids=[f"{m} {p}" for m, p, _ in READS])
def test_reads_match_the_official_schemas(stack: Stack, method: str, path: str, body: Any) -> None:
    payload = checked(stack, method, path, body)
    assert payload  # every seeded list has something in it


def test_the_validator_catches_a_wrong_shape() -> None:
    with pytest.raises(ValidationError):
        validate("GET", "/v1/user", 200, {"id": 5, "memberships": "none"})


def test_time_entry_lifecycle_and_timer_semantics(stack: Stack) -> None:
    entries = checked(stack, "GET", f"{WS}/user/{BEN}/time-entries", params={"page-size": 2})
    assert (
        entries[0]["timeInterval"]["end"] is None and entries[0]["timeInterval"]["duration"] is None
    )
    started = checked(
        stack,
        "POST",
        f"{WS}/time-entries",
        {"start": "2026-11-22T08:00:00Z", "description": "new timer"},
        status=201,
    )
    assert started["timeInterval"]["end"] is None
    running = checked(
        stack, "GET", f"{WS}/user/{ADMIN}/time-entries", params={"in-progress": "true"}
    )
    assert [e["id"] for e in running] == [started["id"]]
    stopped = checked(
        stack, "PATCH", f"{WS}/user/{ADMIN}/time-entries", {"end": "2026-11-22T09:30:00Z"}
    )
    assert stopped["timeInterval"]["duration"] == "PT1H30M"
    nothing = call(
        stack, "PATCH", f"{WS}/user/{ADMIN}/time-entries", {"end": "2026-11-22T10:00:00Z"}
    )
    assert nothing.status_code == 404 and nothing.json()["code"] == 404
    assert nothing.json()["message"].startswith("Currently running time entry doesn't exist")
    fetched = checked(stack, "GET", f"{WS}/time-entries/{started['id']}")
    updated = checked(
        stack,
        "PUT",
        f"{WS}/time-entries/{started['id']}",
        {
            "start": fetched["timeInterval"]["start"],
            "end": "2026-11-22T08:45:00Z",
            "description": "shorter",
        },
    )
    assert updated["timeInterval"]["duration"] == "PT45M"
    assert call(stack, "DELETE", f"{WS}/time-entries/{started['id']}").status_code == 204


def test_starting_a_timer_stops_the_running_one(stack: Stack) -> None:
    checked(
        stack,
        "POST",
        f"{WS}/user/{BEN}/time-entries",
        {"start": "2026-11-22T15:00:00Z", "description": "switch"},
        status=201,
    )
    running = checked(stack, "GET", f"{WS}/user/{BEN}/time-entries", params={"in-progress": "true"})
    assert [e["description"] for e in running] == ["switch"]


def test_report_durations_are_integer_seconds_and_ids_are_underscored(stack: Stack) -> None:
    report = checked(
        stack,
        "POST",
        f"{WS}/reports/detailed",
        {
            "dateRangeStart": "2026-11-16T00:00:00Z",
            "dateRangeEnd": "2026-11-20T23:59:59Z",
            "users": {"ids": [BEN], "contains": "CONTAINS"},
            "detailedFilter": {"page": 1, "pageSize": 1000},
        },
    )
    entries = report["timeentries"]
    assert entries and all(isinstance(e["timeInterval"]["duration"], int) for e in entries)
    assert all("_id" in e and e["userId"] == BEN for e in entries)


def test_member_keys_may_not_read_reports_or_others(stack: Stack) -> None:
    report = call(
        stack,
        "POST",
        f"{WS}/reports/detailed",
        {
            "dateRangeStart": "2026-11-16T00:00:00Z",
            "dateRangeEnd": "2026-11-20T23:59:59Z",
            "detailedFilter": {"page": 1, "pageSize": 10},
        },
        key=MEMBER_KEY,
    )
    assert report.status_code == 403
    other = call(stack, "GET", f"{WS}/user/{GRACE}/time-entries", key=MEMBER_KEY)
    assert other.status_code == 403
    own = call(stack, "GET", f"{WS}/user/{BEN}/time-entries", key=MEMBER_KEY)
    assert own.status_code == 200


def test_auth_and_routing_errors_use_clockify_codes(stack: Stack) -> None:
    unknown = call(stack, "GET", "/v1/user", key="nope")
    assert (unknown.status_code, unknown.json()["code"]) == (401, 4003)
    both = stack.client.get(
        f"{stack.demo.clockify.url}/api/v1/user",
        headers={"X-Api-Key": DEMO_KEY, "X-Addon-Token": "x"},
    )
    assert both.json() == {"message": "Multiple or none auth tokens present", "code": 1000}
    route = call(stack, "GET", "/v1/no/such/route")
    assert (route.status_code, route.json()["code"]) == (404, 3000)
    bare = call(stack, "GET", f"{WS}/time-entries")
    assert bare.status_code == 405
    missing = call(stack, "GET", f"{WS}/time-entries/{'0' * 24}")
    assert (missing.status_code, missing.json()["code"]) == (400, 501)


def test_pages_carry_last_page(stack: Stack) -> None:
    first = call(stack, "GET", f"{WS}/user/{BEN}/time-entries", params={"page-size": 5})
    assert first.headers["last-page"] == "false" and len(first.json()) == 5
    everything = call(stack, "GET", f"{WS}/user/{BEN}/time-entries", params={"page-size": 500})
    assert everything.headers["last-page"] == "true"


def test_approval_requests_submit_and_decide(stack: Stack) -> None:
    bad = call(stack, "GET", f"{WS}/approval-requests", params={"status": "REJECTED"})
    assert bad.status_code == 400
    created = checked(
        stack,
        "POST",
        f"{WS}/approval-requests/users/{BEN}",
        {"period": "WEEKLY", "periodStart": "2026-11-16T00:00:00Z"},
        status=201,
    )
    assert created["status"]["state"] == "PENDING"
    again = call(
        stack,
        "POST",
        f"{WS}/approval-requests/users/{BEN}",
        {"period": "WEEKLY", "periodStart": "2026-11-16T00:00:00Z"},
    )
    assert again.status_code == 400
    approved = checked(
        stack, "PATCH", f"{WS}/approval-requests/{created['id']}", {"state": "APPROVED"}
    )
    assert approved["status"]["state"] == "APPROVED"
    invalid = call(stack, "PATCH", f"{WS}/approval-requests/{created['id']}", {"state": "REJECTED"})
    assert invalid.status_code == 400
    withdrawn = checked(
        stack, "PATCH", f"{WS}/approval-requests/{created['id']}", {"state": "WITHDRAWN_APPROVAL"}
    )
    assert withdrawn["status"]["state"] == "WITHDRAWN_APPROVAL"


def test_time_off_policies_and_requests(stack: Stack) -> None:
    policy = checked(
        stack,
        "POST",
        f"{WS}/time-off/policies",
        {
            "name": "Remote days",
            "approve": {"requiresApproval": True, "teamManagers": True},
            "timeUnit": "DAYS",
            "allowHalfDay": True,
        },
        status=201,
    )
    assert call(stack, "DELETE", f"{WS}/time-off/policies/{policy['id']}").status_code == 400
    archived = checked(
        stack, "PATCH", f"{WS}/time-off/policies/{policy['id']}", {"status": "ARCHIVED"}
    )
    assert archived["archived"] is True
    assert call(stack, "DELETE", f"{WS}/time-off/policies/{policy['id']}").status_code == 200
    request = checked(
        stack,
        "POST",
        f"{WS}/time-off/policies/{POLICY}/requests",
        {
            "note": "Trip",
            "timeOffPeriod": {
                "period": {"start": "2026-12-01T00:00:00Z", "end": "2026-12-03T23:59:59Z"}
            },
        },
    )
    assert request["status"]["statusType"] == "PENDING"
    path = f"{WS}/time-off/policies/{POLICY}/requests/{request['id']}"
    decided = checked(stack, "PATCH", path, {"status": "APPROVED"})
    assert decided["status"]["statusType"] == "APPROVED"
    assert call(stack, "PATCH", path, {"status": "REJECTED"}).status_code == 400
    checked(stack, "DELETE", path)
