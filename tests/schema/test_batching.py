"""Exact upstream request counts for nested queries, read from the simulators' logs."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import pytest

from tests.stack import Stack, gateway_for

WEEK = '{start: "2026-11-16", end: "2026-11-20"}'
TEAM_WEEK = (
    """query($p: [Platform!]) { people(first: 20, filter: {platforms: $p}) { edges { node {
  name timeEntries(first: 50, filter: {dateRange: %s}) { edges { node {
    date durationMinutes project { name } task { name } person { name } %%s } } } } } } }"""
    % WEEK
)


# Clockify's reads for a week whose projects and tasks are wanted in full: users, the report,
# the running entries, the projects and the tasks of each of the 3 projects.
WITH_PROJECTS_AND_TASKS = sorted(
    ["users", "detailed", "in-progress", "projects", "tasks", "tasks", "tasks"]
)


def paths(stack: Stack) -> tuple[list[str], list[str]]:
    def tail(path: str) -> str:
        return path.rsplit("/", 1)[-1]

    return (
        [tail(r.path) for r in stack.productive.log.records],
        [tail(r.path) for r in stack.clockify.log.records],
    )


class Counts(tuple[int, int]):
    """Request counts that show the requests themselves when a comparison fails."""

    detail = ""

    def __repr__(self) -> str:
        return f"{tuple(self)} {self.detail}"


def run(stack: Stack, query: str, variables: dict[str, object] | None = None) -> Counts:
    stack.reset()
    stack.data(query, variables)
    counts = Counts(stack.counts())
    counts.detail = str(
        [
            (r.method, r.path, r.status)
            for r in stack.productive.log.records + stack.clockify.log.records
        ]
    )
    return counts


def test_productive_team_week_with_project_task_person_is_two_requests(stack: Stack) -> None:
    assert run(stack, TEAM_WEEK % "", {"p": ["PRODUCTIVE"]}) == (2, 0)
    assert sorted(paths(stack)[0]) == ["people", "time_entries"]
    [query] = [r.query for r in stack.productive.log.records if r.path.endswith("time_entries")]
    # Everyone's week in one request by date, read beside the people: no person IDs needed.
    assert "person_id" not in query and "filter%5Bafter%5D=2026-11-16" in query
    assert "include=person%2Cproject" not in query and "service.deal.project" in query.replace(
        "%2C", ","
    )


def test_more_nested_fields_covered_by_include_add_no_request(stack: Stack) -> None:
    more = "service { name project { name } } approvedBy { name } rejectedBy { name }"
    assert run(stack, TEAM_WEEK % more, {"p": ["PRODUCTIVE"]}) == (2, 0)


def test_clockify_team_week_reads_the_report_once(stack: Stack) -> None:
    # Project and task names come with the report's entries: no projects or tasks read.
    assert run(stack, TEAM_WEEK % "", {"p": ["CLOCKIFY"]}) == (0, 3)
    # The report and the running entries are read concurrently, so their order varies.
    assert sorted(paths(stack)[1]) == ["detailed", "in-progress", "users"]


def test_more_of_a_project_than_the_report_names_is_read_beside_the_entries(
    stack: Stack,
) -> None:
    named = "project { id name color } task { id name }"
    carried = stack.data(TEAM_WEEK % named, {"p": ["CLOCKIFY"]})
    more = "project { id name color archived } task { id name done }"
    assert run(stack, TEAM_WEEK % more, {"p": ["CLOCKIFY"]}) == (0, 7)
    assert sorted(paths(stack)[1]) == WITH_PROJECTS_AND_TASKS
    full = stack.data(TEAM_WEEK % more, {"p": ["CLOCKIFY"]})

    def work(body: dict[str, object], keys: tuple[str, ...]) -> list[object]:
        people: Any = body["people"]
        return [
            (
                e["node"]["project"] and {k: e["node"]["project"][k] for k in keys},
                e["node"]["task"] and {k: e["node"]["task"][k] for k in ("id", "name")},
            )
            for p in people["edges"]
            for e in p["node"]["timeEntries"]["edges"]
        ]

    # The names the report carries are the projects' and tasks' own.
    assert work(carried, ("id", "name", "color")) == work(full, ("id", "name", "color"))
    assert any(project for project, _ in work(carried, ("id",)))


def test_a_field_the_report_does_not_carry_is_read_in_full_when_asked(stack: Stack) -> None:
    """Timer history reads its entries from the report with nothing prefetched: a project's or
    task's name is the report's, and what the report does not carry is read in full (one
    projects read, one tasks read per project, however many entries ask), the same as the
    projects list says."""
    query = """{ timers(first: 200, filter: {platforms: [CLOCKIFY],
      startedAfter: "2026-11-16T00:00:00Z", startedBefore: "2026-11-21T00:00:00Z"}) {
      edges { node { timeEntry { project { id name color archived billable raw }
      task { id name done } } } } }
      projects(first: 200, filter: {platforms: [CLOCKIFY]}) { edges { node {
      id name color archived billable raw } } } }"""
    stack.reset()
    body = stack.data(query)
    listed = {e["node"]["id"]: e["node"] for e in body["projects"]["edges"]}
    entries = [e["node"]["timeEntry"] for e in body["timers"]["edges"]]
    projects = [entry["project"] for entry in entries if entry["project"]]
    assert len(projects) > 10 and all(p == listed[p["id"]] for p in projects)
    assert all(isinstance(entry["task"]["done"], bool) for entry in entries if entry["task"])
    assert sorted(paths(stack)[1]) == WITH_PROJECTS_AND_TASKS


def test_both_platforms_together_cost_the_sum_and_run_concurrently(stack: Stack) -> None:
    """Every answer 0.2 s late: all five calls, of both platforms, are sent before the first
    of them is answered. (Without the delay, which one the in-process simulators see first
    depends on who holds the GIL.)"""
    stack.reset()
    faults = [stack.productive.settings.faults, stack.clockify.settings.faults]
    before = [f.latency for f in faults]
    for each in faults:
        each.latency = 0.2
    try:
        stack.data(TEAM_WEEK % "", {"p": None})
    finally:
        for each, latency in zip(faults, before, strict=True):
            each.latency = latency
    records = stack.productive.log.records + stack.clockify.log.records
    assert Counts(stack.counts()) == (2, 3)
    assert max(r.at for r in records) < min(r.ended for r in records)


def test_clockify_approval_status_costs_one_approvals_request(stack: Stack) -> None:
    assert run(stack, TEAM_WEEK % "approvalStatus", {"p": ["CLOCKIFY"]}) == (0, 4)


def test_member_key_falls_back_to_per_user_reads(stack: Stack) -> None:
    """A key that may not read the report (403) still gets its own entries, per user."""
    from adapters.base import Platform
    from schema.ids import encode
    from simulators.clockify.app import MEMBER_KEY
    from simulators.clockify.seed import WORKSPACE_ID, user_ids

    ben = encode("Person", Platform.CLOCKIFY, user_ids()[1])
    settings = stack.demo.settings.with_overrides(request_credentials=True)
    query = (
        """query($ben: ID!) { timeEntries(first: 200, filter: {platforms: [CLOCKIFY],
      personIds: [$ben], dateRange: %s}) { totalCount } }"""
        % WEEK
    )
    headers = {"X-Clockify-Api-Key": MEMBER_KEY, "X-Clockify-Workspace-Id": WORKSPACE_ID}
    with gateway_for(settings) as url:
        stack.reset()
        body = stack.client.post(
            f"{url}/graphql", json={"query": query, "variables": {"ben": ben}}, headers=headers
        ).json()
    assert body == {"data": {"timeEntries": {"totalCount": 10}}}
    # The report and the in-progress list are tried concurrently; each is refused (403) and
    # read again per user.
    calls = sorted(
        zip(paths(stack)[1], (r.status for r in stack.clockify.log.records), strict=True)
    )
    assert calls == [
        ("detailed", 403),
        ("in-progress", 403),
        ("time-entries", 200),
        ("time-entries", 200),
        ("users", 200),
    ]


ROOT_QUERIES = [
    (
        "root timeEntries, both",
        """{ timeEntries(first: 200, filter: {dateRange: %s}) { edges {
      node { person { name } project { name } task { name } } } } }"""
        % WEEK,
        (1, 3),
    ),
    (
        "runningTimers with entry and project",
        """{ runningTimers { person { name }
      timeEntry { note project { name } } } }""",
        (1, 3),
    ),
    ("viewer accounts", "{ viewer { accounts { name } } }", (1, 1)),
    ("policies", "{ policies { totalCount } }", (3, 1)),
    (
        "approvals this month",
        """{ approvals(first: 200, filter: {dateRange:
      {start: "2026-11-01", end: "2026-11-30"}}) { totalCount edges { node {
      requester { name } timeEntries { totalCount } } } } }""",
        (3, 3),
    ),
]


@pytest.mark.parametrize("label,query,expected", ROOT_QUERIES, ids=[q[0] for q in ROOT_QUERIES])
def test_root_field_request_counts(
    stack: Stack, label: str, query: str, expected: tuple[int, int]
) -> None:
    assert run(stack, query) == expected


def test_single_node_lookups(stack: Stack) -> None:
    person = stack.data("""{ people(first: 1, filter: {platforms: [PRODUCTIVE]}) {
      edges { node { id } } } }""")["people"]["edges"][0]["node"]["id"]
    assert run(
        stack, "query($id: ID!) { node(id: $id) { ... on Person { name } } }", {"id": person}
    ) == (1, 0)
    entry = stack.data("""{ timeEntries(first: 1, filter: {platforms: [CLOCKIFY]}) {
      edges { node { id } } } }""")["timeEntries"]["edges"][0]["node"]["id"]
    assert run(
        stack, "query($id: ID!) { node(id: $id) { ... on TimeEntry { date } } }", {"id": entry}
    ) == (0, 2)
    assert paths(stack)[1][0] == "users"


def test_linked_accounts_reuse_the_people_list_read(stack: Stack) -> None:
    """`people { linkedAccounts }` asks for the same people list twice; it is read once."""
    stack.data("{ people(first: 50) { edges { node { name linkedAccounts { platform } } } } }")
    assert stack.counts() == (1, 1)


def test_one_cached_document_asks_for_the_includes_its_variables_select(stack: Stack) -> None:
    """What a selection asks of its entries is worked out once per field and request (every
    person's `timeEntries` shares it): the same document with other variables asks again,
    and a field that `@include`/`@skip` leaves out asks for nothing."""
    query = (
        """query($t: Boolean!) { people(first: 20, filter: {platforms: [PRODUCTIVE]}) {
      nodes { timeEntries(first: 50, filter: {dateRange: %s}) {
        nodes { date project @include(if: $t) { name } task @skip(if: $t) { name } } } } } }"""
        % WEEK
    )

    def includes(with_task: bool) -> list[str]:
        run(stack, query, {"t": with_task})
        [entries] = [r for r in stack.productive.log.records if r.path.endswith("time_entries")]
        return sorted(parse_qs(entries.query)["include"][0].split(","))

    assert includes(False) == ["person", "task"]
    assert includes(True) == ["person", "service.deal.project"]
    assert includes(False) == ["person", "task"]
    assert stack.counts() == (2, 0)
