"""The time-entry filters a timesheet screen needs: services, tasks, tags, billable, entry
types, incremental sync by update time; on both platforms, with exact upstream counts."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from simulators.clockify.app import DEMO_KEY
from tests.mutations.helpers import mutate
from tests.stack import Stack

WEEK = {"start": "2026-11-16", "end": "2026-11-20"}
ENTRIES = """query($f: TimeEntryFilter, $o: TimeEntryOrder) {
  timeEntries(first: 200, filter: $f, orderBy: $o) { totalCount edges { node {
    id platform billable type updatedAt note service { id } task { id } tags { id } } } } }"""


def entries(stack: Stack, flt: dict[str, Any], order: dict[str, Any] | None = None) -> Any:
    return stack.data(ENTRIES, {"f": {"dateRange": WEEK, **flt}, "o": order})["timeEntries"]


def nodes(data: Any) -> list[dict[str, Any]]:
    return [e["node"] for e in data["edges"]]


def productive_query(stack: Stack) -> dict[str, list[str]]:
    [read] = stack.productive.log.matching("GET", "/time_entries")
    return parse_qs(read.query)


def test_service_filter_reaches_productive_and_skips_clockify(stack: Stack) -> None:
    service = nodes(entries(stack, {"platforms": ["PRODUCTIVE"]}))[0]["service"]["id"]
    stack.reset()
    data = entries(stack, {"serviceIds": [service]})
    assert data["edges"] and {n["service"]["id"] for n in nodes(data)} == {service}
    assert len(productive_query(stack)["filter[service_id]"]) == 1
    assert stack.counts()[1] == 0  # Clockify has no services: not read at all


def test_task_filter_on_both_platforms(stack: Stack) -> None:
    week = nodes(entries(stack, {}))
    tasks = {n["platform"]: n["task"]["id"] for n in week if n["task"] is not None}
    stack.reset()
    data = entries(stack, {"taskIds": list(tasks.values())})
    found = nodes(data)
    assert {n["platform"] for n in found} == {"PRODUCTIVE", "CLOCKIFY"}
    assert {n["task"]["id"] for n in found} == set(tasks.values())
    assert "filter[task_id]" in productive_query(stack)


def test_tag_filter_is_clockify_only(stack: Stack) -> None:
    tag = next(
        t["id"] for n in nodes(entries(stack, {"platforms": ["CLOCKIFY"]})) for t in n["tags"]
    )
    stack.reset()
    found = nodes(entries(stack, {"tagIds": [tag]}))
    assert found and all(tag in [t["id"] for t in n["tags"]] for n in found)
    assert {n["platform"] for n in found} == {"CLOCKIFY"}
    assert stack.counts()[0] == 0  # Productive entries carry no tags: not read


def test_billable_filter_on_both_platforms(stack: Stack) -> None:
    everything = nodes(entries(stack, {}))
    stack.reset()
    unbilled = nodes(entries(stack, {"billable": False}))
    billed = nodes(entries(stack, {"billable": True}))
    assert unbilled and billed
    assert all(n["billable"] is False for n in unbilled) and all(n["billable"] for n in billed)
    assert len(unbilled) + len(billed) == len(everything)
    assert {n["platform"] for n in unbilled + billed} == {"PRODUCTIVE", "CLOCKIFY"}
    sent = [parse_qs(r.query) for r in stack.productive.log.matching("GET", "/time_entries")]
    assert [q["filter[billable]"] for q in sent] == [["false"], ["true"]]


def test_entry_types_tell_breaks_from_work(stack: Stack) -> None:
    ws = stack.demo.settings.clockify.workspace_id
    created = stack.client.post(
        f"{stack.demo.clockify.url}/api/v1/workspaces/{ws}/time-entries",
        json={
            "start": "2026-11-17T12:00:00Z",
            "end": "2026-11-17T12:30:00Z",
            "type": "BREAK",
            "description": "Lunch",
        },
        headers={"X-Api-Key": DEMO_KEY},
    )
    assert created.status_code == 201, created.text
    breaks = nodes(entries(stack, {"types": ["BREAK"]}))
    assert [(n["platform"], n["type"], n["note"]) for n in breaks] == [
        ("CLOCKIFY", "BREAK", "Lunch")
    ]
    work = nodes(entries(stack, {"types": ["REGULAR"]}))
    assert all(n["type"] == "REGULAR" for n in work)
    assert {n["platform"] for n in work} == {"PRODUCTIVE", "CLOCKIFY"}
    assert "Lunch" not in [n["note"] for n in work]


def test_updated_after_reads_only_what_changed_in_update_order(stack: Stack) -> None:
    week = nodes(entries(stack, {"platforms": ["PRODUCTIVE"]}))
    changed = [week[3]["id"], week[7]["id"]]
    for entry_id in changed:
        mutate(stack, "updateTimeEntry", {"id": entry_id, "note": "Synced"}, "timeEntry { id }")
    since = min(
        nodes(entries(stack, {"platforms": ["PRODUCTIVE"], "text": "Synced"})),
        key=lambda n: n["updatedAt"],
    )["updatedAt"]
    before = len(stack.productive.log.records)  # a reset would undo the updates
    data = entries(
        stack,
        {"platforms": ["PRODUCTIVE"], "updatedAfter": since},
        {"field": "UPDATED_AT", "direction": "ASC"},
    )
    found = nodes(data)
    assert [n["id"] for n in found] == changed
    [read] = stack.productive.log.records[before:]
    query = parse_qs(read.query)
    assert query["filter[updated_at][gt_eq]"] == [since]
    assert query["sort"] == ["updated_at"]


def test_update_time_is_refused_where_clockify_is_read(stack: Stack) -> None:
    for flt, order, argument in (
        ({"updatedAfter": "2026-11-16T00:00:00Z"}, None, "filter.updatedAfter"),
        ({}, {"field": "UPDATED_AT"}, "orderBy"),
    ):
        body = stack.gql(ENTRIES, {"f": {"dateRange": WEEK, **flt}, "o": order})
        [error] = body["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["extensions"]["argument"] == argument
        assert "PRODUCTIVE" in error["message"]
    naive = stack.gql(
        ENTRIES, {"f": {"platforms": ["PRODUCTIVE"], "updatedAfter": "2026-11-16T00:00:00"}}
    )
    assert naive["errors"][0]["extensions"]["argument"] == "filter.updatedAfter"
    assert stack.counts() == (0, 0)


def test_what_each_filter_costs_upstream(stack: Stack) -> None:
    """Filters ride on the same reads; only `type` changes how Clockify is read (its detailed
    report has no entry type, so each person's regular list is read instead, and with it the
    tasks the report would have named)."""
    plain = ENTRIES.replace(" type ", " ")
    cases = [
        (plain, {}, (1, 4)),  # users, report, in-progress, tags (names come with the report)
        (plain, {"billable": False}, (1, 4)),
        (ENTRIES, {}, (1, 15)),  # users, 9 per-person lists, in-progress, tags, tasks
        (ENTRIES, {"types": ["BREAK"]}, (0, 11)),  # Productive has only REGULAR: not read
    ]
    for query, flt, expected in cases:
        stack.reset()
        stack.data(query, {"f": {"dateRange": WEEK, **flt}})
        assert stack.counts() == expected, (flt, stack.counts())
