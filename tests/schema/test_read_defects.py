"""Read-side defects a frontend team found (issue 10, items 9, 10, 14, 15 and 17), each shown
through GraphQL over HTTP and counted in the simulators' request logs."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs

from simulators.faults import ScriptedFault
from simulators.traffic import RequestRecord
from tests.stack import Stack

WEEK = '{start: "2026-11-16", end: "2026-11-20"}'


def productive_person(stack: Stack, email: str) -> str:
    return next(
        p.id for p in stack.productive.store.all("people") if p.attributes["email"] == email
    )


def query_of(record: RequestRecord) -> dict[str, list[str]]:
    return parse_qs(record.query)


def test_pending_filter_asks_for_unapproved_entries(stack: Stack) -> None:
    """Defect 9: status 2 (unapproved) was never sent, so a person without timesheet
    submission (whose unapproved entries are PENDING) had no pending entries at all."""
    ben = stack.productive.store.get("people", productive_person(stack, "ben.okafor@example.com"))
    assert ben is not None
    ben.attributes["timesheet_submission_disabled"] = True
    data = stack.data(
        f"""{{ timeEntries(first: 200, filter: {{platforms: [PRODUCTIVE], dateRange: {WEEK},
        approvalStatuses: [PENDING]}}) {{ totalCount edges {{ node {{ approvalStatus
        upstreamApprovalStatus person {{ email }} }} }} }} }}"""
    )
    nodes = [e["node"] for e in data["timeEntries"]["edges"]]
    ben_pending = [n for n in nodes if n["person"]["email"] == "ben.okafor@example.com"]
    assert len(ben_pending) == 10  # all his week's unapproved entries
    assert {n["approvalStatus"] for n in nodes} == {"PENDING"}
    # Everybody else's unapproved entries are drafts: read, then left out.
    assert {n["person"]["email"] for n in nodes} == {"ben.okafor@example.com"}
    [read] = stack.productive.log.matching("GET", "/time_entries")
    assert query_of(read)["filter[status]"] == ["2"]
    assert data["timeEntries"]["totalCount"] is None  # kept after reading: no upstream total


def test_approvals_name_who_decided_productive_entries(stack: Stack) -> None:
    """Defect 10: the approvals list was read without include=approver, so decidedBy was null
    for every approved Productive entry."""
    data = stack.data(
        """{ approvals(first: 200, filter: {platforms: [PRODUCTIVE], statuses: [APPROVED],
        kinds: [TIME_ENTRY]}) {
        edges { node { status decidedBy { name } timeEntries { nodes { approvedBy { name } } } }
        } } }"""
    )
    nodes = [e["node"] for e in data["approvals"]["edges"]]
    assert nodes and all(n["decidedBy"] is not None for n in nodes)
    assert all(n["decidedBy"] == n["timeEntries"]["nodes"][0]["approvedBy"] for n in nodes)
    # The approvers came included: only time entry pages were read.
    assert {r.path for r in stack.productive.log.records} == {"/api/v2/time_entries"}


def test_node_of_an_unknown_type_is_bad_input(stack: Stack) -> None:
    """Defect 14: a well-formed ID of a type Timebridge has none of answered a silent null."""
    for raw in ("Widget:productive:1", "Service:clockify:5f1e2d3c4b5a697887766554"):
        value = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
        body = stack.gql("query($id: ID!) { node(id: $id) { id } }", {"id": value})
        assert body["data"] is None or body["data"]["node"] is None
        [error] = body["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["extensions"]["argument"] == "id"
    assert stack.counts() == (0, 0)


def test_an_include_upstream_refuses_is_dropped_not_blamed_on_the_user(stack: Stack) -> None:
    """Defect 15: a 4xx caused by the gateway's own request (here an include the account does
    not support) was BAD_USER_INPUT and discarded Productive's rows."""
    stack.productive.settings.refused_includes = frozenset({"task"})
    try:
        body = stack.gql(
            f"""{{ timeEntries(first: 200, filter: {{platforms: [PRODUCTIVE],
            dateRange: {WEEK}}}) {{ totalCount edges {{ node {{ person {{ name }}
            project {{ name }} }} }} }} }}"""
        )
        plain = stack.gql(
            f"""{{ timeEntries(first: 200, filter: {{platforms: [PRODUCTIVE],
            dateRange: {WEEK}}}) {{ edges {{ node {{ task {{ name }} }} }} }} }}"""
        )
    finally:
        stack.productive.settings.refused_includes = frozenset()
    assert "errors" not in body
    assert body["data"]["timeEntries"]["totalCount"] == 90
    assert all(e["node"]["person"] for e in body["data"]["timeEntries"]["edges"])
    # Asked for tasks, the entries still come, without the include upstream refuses.
    assert len(plain["data"]["timeEntries"]["edges"]) == 90
    sent = [query_of(r) for r in stack.productive.log.matching("GET", "/time_entries")]
    assert any("task" not in (q.get("include") or [""])[0].split(",") for q in sent)


def test_a_refused_person_include_keeps_both_platforms_rows(stack: Stack) -> None:
    """Defect 15 on the default include (`person`): dropped, and no BAD_USER_INPUT."""
    stack.productive.settings.refused_includes = frozenset({"person"})
    try:
        body = stack.gql(
            f"""{{ timeEntries(first: 200, filter: {{dateRange: {WEEK}}}) {{
            edges {{ node {{ platform }} }} }} }}"""
        )
    finally:
        stack.productive.settings.refused_includes = frozenset()
    # Without `person` Productive still answers: the include is dropped and the rows stay.
    platforms = {e["node"]["platform"] for e in body["data"]["timeEntries"]["edges"]}
    assert platforms == {"PRODUCTIVE", "CLOCKIFY"}
    assert all(e["extensions"]["code"] != "BAD_USER_INPUT" for e in body.get("errors", []))


def test_a_read_upstream_refuses_otherwise_is_upstream_incompatible(stack: Stack) -> None:
    """The other half of defect 15: a 400 that is not about an include cannot be dropped, so
    it is reported as UPSTREAM_INCOMPATIBLE (not the caller's input), beside Clockify's rows."""
    stack.productive.settings.faults.script.append(
        ScriptedFault("status", status=400, method="GET", path_contains="/time_entries", times=5)
    )
    body = stack.gql(
        f"""{{ timeEntries(first: 200, filter: {{dateRange: {WEEK}}}) {{
        edges {{ node {{ platform }} }} }} }}"""
    )
    stack.productive.settings.faults.clear()
    platforms = {e["node"]["platform"] for e in body["data"]["timeEntries"]["edges"]}
    assert platforms == {"CLOCKIFY"}
    [error] = body["errors"]
    assert error["extensions"]["code"] == "UPSTREAM_INCOMPATIBLE"
    assert error["extensions"]["platform"] == "PRODUCTIVE"
    assert len(stack.productive.log.matching("GET", "/time_entries")) == 1  # not retried


def test_service_project_is_read_once(stack: Stack) -> None:
    """Defect 17: node(Service) { project } read the project again although the service's own
    read included it."""
    service = stack.data(
        f"""{{ timeEntries(first: 1, filter: {{platforms: [PRODUCTIVE], dateRange: {WEEK}}}) {{
        edges {{ node {{ service {{ id }} }} }} }} }}"""
    )["timeEntries"]["edges"][0]["node"]["service"]["id"]
    stack.reset()
    data = stack.data(
        "query($id: ID!) { node(id: $id) { ... on Service { name project { name } } } }",
        {"id": service},
    )
    assert data["node"]["project"]["name"]
    assert [r.path for r in stack.productive.log.records] == ["/api/v2/services"]
