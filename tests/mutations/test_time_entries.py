"""createTimeEntry, updateTimeEntry and deleteTimeEntry on both platforms."""

from __future__ import annotations

from typing import Any

import pytest

from tests.mutations.helpers import mutate, person_id, writes
from tests.stack import Stack

ENTRY = """timeEntry { id platform date startedAt endedAt durationMinutes note billable
  person { email } project { name } task { name } service { name } }"""


def refs(stack: Stack) -> dict[str, Any]:
    data = stack.data("""{ p: timeEntries(first: 1, filter: {platforms: [PRODUCTIVE]}) {
        edges { node { service { id } } } }
      c: timeEntries(first: 50, filter: {platforms: [CLOCKIFY], dateRange:
        {start: "2026-11-16", end: "2026-11-20"}}) {
        edges { node { project { id } task { id } } } } }""")
    clockify = next(e["node"] for e in data["c"]["edges"] if e["node"]["task"])
    return {
        "serviceId": data["p"]["edges"][0]["node"]["service"]["id"],
        "projectId": clockify["project"]["id"],
        "taskId": clockify["task"]["id"],
    }


def entry_by_id(stack: Stack, entry_id: str) -> dict[str, Any] | None:
    data = stack.data(
        "query($id: ID!) { node(id: $id) { ... on TimeEntry { date "
        "durationMinutes note startedAt } } }",
        {"id": entry_id},
    )
    found: dict[str, Any] | None = data["node"]
    return found


def test_productive_create_update_delete_round_trip(stack: Stack) -> None:
    service = refs(stack)["serviceId"]
    created = mutate(
        stack,
        "createTimeEntry",
        {
            "platform": "PRODUCTIVE",
            "date": "2026-11-19",
            "durationMinutes": 95,
            "note": "Workshop",
            "serviceId": service,
        },
        ENTRY,
    )
    assert created["userErrors"] == []
    entry = created["timeEntry"]
    assert (entry["date"], entry["durationMinutes"], entry["note"]) == (
        "2026-11-19",
        95,
        "Workshop",
    )
    assert entry["person"]["email"] == "ana.kovac@example.com" and entry["service"]["name"]
    updated = mutate(
        stack,
        "updateTimeEntry",
        {
            "id": entry["id"],
            "startedAt": "2026-11-20T10:00:00+01:00",
            "endedAt": "2026-11-20T11:30:00+01:00",
        },
        ENTRY,
    )
    assert updated["userErrors"] == []
    assert entry_by_id(stack, entry["id"]) == {
        "date": "2026-11-20",
        "durationMinutes": 90,
        "note": "Workshop",
        "startedAt": "2026-11-20T10:00:00+01:00",
    }
    deleted = mutate(stack, "deleteTimeEntry", {"id": entry["id"]}, "deletedId")
    assert deleted == {"deletedId": entry["id"], "userErrors": []}
    assert entry_by_id(stack, entry["id"]) is None


def test_clockify_create_from_date_and_minutes_uses_the_persons_zone(stack: Stack) -> None:
    r = refs(stack)
    grace = person_id(stack, "CLOCKIFY", "grace.lee@example.com")
    created = mutate(
        stack,
        "createTimeEntry",
        {
            "platform": "CLOCKIFY",
            "personId": grace,
            "date": "2026-11-19",
            "durationMinutes": 120,
            "note": "Design review",
            "projectId": r["projectId"],
            "taskId": r["taskId"],
        },
        ENTRY,
    )
    assert created["userErrors"] == []
    entry = created["timeEntry"]
    # 09:00 in New York (UTC-5) is 14:00Z; Clockify answers in UTC.
    assert entry["startedAt"] == "2026-11-19T14:00:00+00:00" and entry["durationMinutes"] == 120
    assert entry["date"] == "2026-11-19" and entry["task"]["name"]
    updated = mutate(
        stack,
        "updateTimeEntry",
        {"id": entry["id"], "durationMinutes": 45, "note": "Shorter"},
        ENTRY,
    )
    assert updated["userErrors"] == []
    assert updated["timeEntry"]["durationMinutes"] == 45
    assert updated["timeEntry"]["task"]["name"] == entry["task"]["name"]
    assert entry_by_id(stack, entry["id"])["note"] == "Shorter"  # type: ignore[index]
    deleted = mutate(stack, "deleteTimeEntry", {"id": entry["id"]}, "deletedId")
    assert deleted["userErrors"] == [] and entry_by_id(stack, entry["id"]) is None


def test_locked_and_approved_entries_are_conflicts(stack: Stack) -> None:
    data = stack.data("""{ c: timeEntries(first: 1, filter: {platforms: [CLOCKIFY], dateRange:
        {start: "2026-10-26", end: "2026-10-26"}}) { edges { node { id locked } } }
      p: timeEntries(first: 1, filter: {platforms: [PRODUCTIVE], approvalStatuses: [APPROVED]}) {
        edges { node { id } } } }""")
    locked = data["c"]["edges"][0]["node"]
    assert locked["locked"]
    stack.reset()
    refused = mutate(stack, "deleteTimeEntry", {"id": locked["id"]}, "deletedId")
    assert refused["userErrors"][0]["code"] == "CONFLICT" and writes(stack) == (0, 0)
    approved = data["p"]["edges"][0]["node"]["id"]
    conflict = mutate(
        stack,
        "updateTimeEntry",
        {"id": approved, "note": "late edit"},
        "timeEntry { id }",
    )
    assert conflict["userErrors"][0]["code"] == "CONFLICT"


def test_productive_422_points_at_the_unified_field(stack: Stack) -> None:
    service = refs(stack)["serviceId"]
    entry = mutate(
        stack,
        "createTimeEntry",
        {
            "platform": "PRODUCTIVE",
            "date": "2026-11-18",
            "durationMinutes": 30,
            "serviceId": service,
        },
        "timeEntry { id }",
    )["timeEntry"]
    # A service the organization does not have: Productive answers 422 on the relationship.
    missing = "U2VydmljZTpwcm9kdWN0aXZlOjk5OTk"  # Service:productive:9999
    payload = mutate(
        stack,
        "updateTimeEntry",
        {"id": entry["id"], "serviceId": missing},
        "timeEntry { id }",
    )
    assert payload["userErrors"][0]["code"] == "INVALID_INPUT"
    assert payload["userErrors"][0]["field"] == ["input", "serviceId"]


INVALID = [
    ({"platform": "PRODUCTIVE", "date": "2026-11-18"}, ["input", "durationMinutes"]),
    (
        {"platform": "PRODUCTIVE", "durationMinutes": -5, "date": "2026-11-18"},
        ["input", "durationMinutes"],
    ),
    (
        {
            "platform": "CLOCKIFY",
            "startedAt": "2026-11-18T10:00:00Z",
            "endedAt": "2026-11-18T09:00:00Z",
        },
        ["input", "endedAt"],
    ),
    ({"platform": "CLOCKIFY", "startedAt": "2026-11-18T10:00:00"}, ["input", "startedAt"]),
    (
        {"platform": "PRODUCTIVE", "date": "2026-11-18", "durationMinutes": 10},
        ["input", "serviceId"],
    ),
    (
        {"platform": "PRODUCTIVE", "date": "2026-11-18", "durationMinutes": 10, "tagIds": ["x"]},
        ["input", "tagIds"],
    ),
    (
        {"platform": "CLOCKIFY", "date": "2026-11-18", "durationMinutes": 10, "serviceId": "x"},
        ["input", "serviceId"],
    ),
]


@pytest.mark.parametrize("value,field", INVALID)
def test_invalid_inputs_make_no_upstream_request(
    stack: Stack, value: dict[str, Any], field: list[str]
) -> None:
    payload = mutate(stack, "createTimeEntry", value, "timeEntry { id }")
    assert payload["timeEntry"] is None
    assert payload["userErrors"][0]["field"] == field, payload
    assert payload["userErrors"][0]["code"] in ("INVALID_INPUT", "UNSUPPORTED_ON_PLATFORM")
    assert stack.counts() == (0, 0)
