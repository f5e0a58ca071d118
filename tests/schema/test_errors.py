"""Partial failure, retries, input validation and secrecy of errors."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from gateway.servers import bind
from gateway.upstream_settings import ClockifySettings
from simulators.clockify.app import DEMO_KEY
from simulators.faults import ScriptedFault
from simulators.traffic import Window
from tests.stack import Stack, gateway_for

WEEK_QUERY = """{ timeEntries(first: 200, filter: {dateRange: {start: "2026-11-16",
  end: "2026-11-20"}}) { totalCount edges { node { platform person { name } } } } }"""


def platforms_of(body: dict[str, Any]) -> set[str]:
    return {e["node"]["platform"] for e in body["data"]["timeEntries"]["edges"]}


def test_clockify_5xx_leaves_productive_data_and_a_located_error(stack: Stack) -> None:
    stack.clockify.settings.faults.error_rate = 1.0
    try:
        body = stack.gql(WEEK_QUERY)
    finally:
        stack.clockify.settings.faults.error_rate = 0.0
    assert platforms_of(body) == {"PRODUCTIVE"}
    assert len(body["data"]["timeEntries"]["edges"]) == 90
    assert body["data"]["timeEntries"]["totalCount"] is None
    [error] = body["errors"]
    assert error["path"] == ["timeEntries"]
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["extensions"]["platform"] == "CLOCKIFY"
    assert error["extensions"]["upstreamStatus"] in (500, 502, 503)
    # The users, the report and the running entries are read at once; the one that gives up
    # first was tried four times, and the others are not retried past it.
    tries = Counter(r.path.rsplit("/", 1)[-1] for r in stack.clockify.log.records)
    assert max(tries.values()) == 4 and set(tries) <= {"users", "detailed", "in-progress"}


def test_unreachable_clockify_is_unavailable_not_fatal(stack: Stack) -> None:
    closed = bind()
    url = f"http://127.0.0.1:{closed.getsockname()[1]}"
    closed.close()
    settings = stack.demo.settings.with_overrides(
        clockify=ClockifySettings(
            api_url=f"{url}/api/v1",
            reports_url=f"{url}/report/v1",
            api_key=stack.demo.settings.clockify.api_key,
            workspace_id=stack.demo.settings.clockify.workspace_id,
        )
    )
    with gateway_for(settings) as gateway:
        body = stack.client.post(f"{gateway}/graphql", json={"query": WEEK_QUERY}).json()
    assert platforms_of(body) == {"PRODUCTIVE"}
    assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert "127.0.0.1" not in body["errors"][0]["message"]


def test_a_wrong_key_is_unauthenticated_and_never_echoed(stack: Stack) -> None:
    secret = "very-secret-wrong-key-123"
    settings = stack.demo.settings.with_overrides(request_credentials=True)
    with gateway_for(settings) as gateway:
        response = stack.client.post(
            f"{gateway}/graphql", json={"query": WEEK_QUERY}, headers={"X-Clockify-Api-Key": secret}
        )
    body = response.json()
    assert platforms_of(body) == {"PRODUCTIVE"}
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert body["errors"][0]["extensions"]["upstreamStatus"] == 401
    assert secret not in response.text and DEMO_KEY not in response.text


def test_one_5xx_is_retried_and_the_answer_is_complete(stack: Stack) -> None:
    stack.productive.settings.faults.script.append(
        ScriptedFault("status", status=502, path_contains="/time_entries")
    )
    body = stack.gql(WEEK_QUERY)
    assert "errors" not in body and body["data"]["timeEntries"]["totalCount"] == 180
    statuses = [r.status for r in stack.productive.log.matching("GET", "/time_entries")]
    assert statuses == [502, 200]


def test_429_is_retried_after_the_upstream_retry_after(stack: Stack) -> None:
    stack.clockify.limiter.windows = [Window(2, 1.0)]
    try:
        body = stack.gql(WEEK_QUERY)
    finally:
        stack.clockify.limiter.windows = [Window(50, 1.0)]
    assert "errors" not in body and body["data"]["timeEntries"]["totalCount"] == 180
    records = stack.clockify.log.records
    refused = [r for r in records if r.status == 429]
    assert refused
    retried = [r for r in records if r.path == refused[0].path and r.status == 200]
    assert retried and retried[-1].at - refused[0].at >= 0.9  # Retry-After: 1


def test_429_beyond_the_deadline_is_rate_limited(stack: Stack) -> None:
    stack.clockify.limiter.windows = [Window(1, 120.0)]
    try:
        body = stack.gql(WEEK_QUERY)
    finally:
        stack.clockify.limiter.windows = [Window(50, 1.0)]
    assert platforms_of(body) == {"PRODUCTIVE"}
    assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert body["errors"][0]["extensions"]["platform"] == "CLOCKIFY"


BAD_INPUTS = [
    ("malformed id", '{ node(id: "%%%") { id } }', "id"),
    ("foreign id", '{ node(id: "bm90OmFuOmlk") { id } }', "id"),
    (
        "person id where a project is expected",
        '{ timeEntries(filter: {projectIds: ["%s"]}) { totalCount } }',
        "filter.projectIds",
    ),
    (
        "range ending before it starts",
        '{ timeEntries(filter: {dateRange: {start: "2026-11-20", end: "2026-11-01"}}) '
        "{ totalCount } }",
        "filter.dateRange",
    ),
    (
        "unknown enum",
        "{ timeEntries(filter: {approvalStatuses: [MAYBE]}) { totalCount } }",
        "filter",
    ),
    ("unknown order field", "{ timeEntries(orderBy: {field: COLOR}) { totalCount } }", "orderBy"),
    (
        "start-time order on Productive",
        "{ timeEntries(orderBy: {field: START_TIME}) { totalCount } }",
        "orderBy",
    ),
]


@pytest.mark.parametrize("label,query,argument", BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_named_and_costs_no_upstream_call(
    stack: Stack, label: str, query: str, argument: str
) -> None:
    if "%s" in query:
        person = stack.data("""{ people(first: 1) { edges { node { id } } } }""")
        query = query % person["people"]["edges"][0]["node"]["id"]
        stack.reset()
    body = stack.gql(query)
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert (
        error["message"].startswith(argument) or error["extensions"].get("argument") == argument
    ), error
    assert stack.counts() == (0, 0)


def test_an_unconfigured_platform_is_named_with_what_to_set(stack: Stack) -> None:
    settings = stack.demo.settings.with_overrides(clockify=ClockifySettings())
    with gateway_for(settings) as gateway:
        mixed = stack.client.post(f"{gateway}/graphql", json={"query": WEEK_QUERY}).json()
        only = stack.client.post(
            f"{gateway}/graphql",
            json={
                "query": """{ timeEntries(
          filter: {platforms: [CLOCKIFY]}) { totalCount } }"""
            },
        ).json()
    assert "errors" not in mixed and platforms_of(mixed) == {"PRODUCTIVE"}
    error = only["errors"][0]
    assert error["extensions"] == {"code": "NOT_CONFIGURED", "platform": "CLOCKIFY"}
    assert "CLOCKIFY_API_KEY" in error["message"] and "CLOCKIFY_WORKSPACE_ID" in error["message"]


def test_a_failing_platform_nulls_only_its_own_nested_fields(stack: Stack) -> None:
    stack.clockify.settings.faults.script.extend(
        ScriptedFault("status", status=503, path_contains="/reports/") for _ in range(4)
    )
    body = stack.gql("""{ people(first: 50) { edges { node { platform email
      timeEntries(filter: {dateRange: {start: "2026-11-16", end: "2026-11-20"}}) {
        totalCount } } } } }""")
    people = [e["node"] for e in body["data"]["people"]["edges"]]
    productive = [p for p in people if p["platform"] == "PRODUCTIVE"]
    clockify = [p for p in people if p["platform"] == "CLOCKIFY"]
    assert len(productive) == 9 and all(p["timeEntries"]["totalCount"] == 10 for p in productive)
    assert len(clockify) == 9 and all(p["timeEntries"] is None for p in clockify)
    codes = {(e["extensions"]["code"], e["extensions"]["platform"]) for e in body["errors"]}
    assert codes == {("UPSTREAM_UNAVAILABLE", "CLOCKIFY")}
    assert all(e["path"][0] == "people" and e["path"][-1] == "timeEntries" for e in body["errors"])


def test_a_failing_projects_read_leaves_the_report_s_names_and_fails_only_what_it_must(
    stack: Stack,
) -> None:
    """The projects read that `archived` needs fails (503 on every attempt): the entries
    still come, each task keeps the name the report gave it, and only the projects, whose
    `archived` cannot be read, are null, with the upstream's error at that field."""
    stack.clockify.settings.faults.script.extend(
        ScriptedFault("status", status=503, method="GET", path_contains="/projects")
        for _ in range(8)
    )
    body = stack.gql("""{ timeEntries(first: 200, filter: {platforms: [CLOCKIFY],
      dateRange: {start: "2026-11-16", end: "2026-11-20"}}) { edges { node { date
      project { name archived } task { name } } } } }""")
    entries = [e["node"] for e in body["data"]["timeEntries"]["edges"]]
    assert len(entries) == 90 and all(e["date"] for e in entries)
    named = [e for e in entries if e["task"]]
    assert named and all(e["task"]["name"] for e in named)
    with_project = [e for e in body["errors"] if e["path"][-1] == "archived"]
    assert with_project and len(with_project) == len(body["errors"])
    assert {(e["extensions"]["code"], e["extensions"]["platform"]) for e in body["errors"]} == {
        ("UPSTREAM_UNAVAILABLE", "CLOCKIFY")
    }
    assert all(e["project"] is None for e in entries)
