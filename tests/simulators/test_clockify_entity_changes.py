"""Clockify's Entity Changes API (Experimental) in the simulator: what was created, updated
or deleted in a window, with the documented defaults, exclusions and deletion lag."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.simulators.openapi import validate
from tests.simulators.test_clockify_fidelity import WS, call
from tests.stack import Stack


def since(seconds: float) -> str:
    return (datetime.now(UTC) - timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def changes(stack: Stack, kind: str, **params: Any) -> Any:
    answer = call(stack, "GET", f"{WS}/entities/{kind}", params={"type": "TIME_ENTRY", **params})
    assert answer.status_code == 200, answer.text
    return answer.json()


def created_entry(stack: Stack) -> str:
    body = {"start": "2026-11-18T08:00:00Z", "end": "2026-11-18T09:00:00Z", "description": "x"}
    answer = call(stack, "POST", f"{WS}/time-entries", body)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def test_a_new_entry_is_created_not_updated_within_one_window(stack: Stack) -> None:
    start = since(5)
    assert changes(stack, "created", start=start) == []
    entry = created_entry(stack)
    call(
        stack,
        "PUT",
        f"{WS}/time-entries/{entry}",
        {"start": "2026-11-18T08:00:00Z", "end": "2026-11-18T10:00:00Z", "description": "y"},
    )
    [document] = changes(stack, "created", start=start)
    assert document["id"] == entry and document["documentType"] == "TIME_ENTRY"
    assert set(document["auditMetadata"]) == {"createdAt", "updatedAt"}
    # Created and updated in the same window: only /created has it, as documented.
    assert changes(stack, "updated", start=start) == []


def test_an_update_after_the_window_began_is_updated(stack: Stack) -> None:
    seeded = next(e.id for e in stack.clockify.workspace.entries.values() if e.end and not e.locked)
    start = since(5)
    answer = call(
        stack,
        "PUT",
        f"{WS}/time-entries/{seeded}",
        {"start": "2026-11-17T08:00:00Z", "end": "2026-11-17T09:00:00Z", "description": "edited"},
    )
    assert answer.status_code == 200, answer.text
    assert [d["id"] for d in changes(stack, "updated", start=start)] == [seeded]
    assert changes(stack, "updated", start=start, limit=1, page=1) == []  # pages start at 0


def test_a_deletion_shows_a_minute_late_in_the_schemas_shape(stack: Stack) -> None:
    fresh = created_entry(stack)
    seeded = next(e.id for e in stack.clockify.workspace.entries.values() if not e.locked)
    for entry in (fresh, seeded):
        assert call(stack, "DELETE", f"{WS}/time-entries/{entry}").status_code == 204
    assert changes(stack, "deleted", start=since(60)) == {"response": []}
    stack.clockify.settings.deletion_visible_after = 0.0
    try:
        found = changes(stack, "deleted", start=since(60))
        validate("GET", f"{WS}/entities/deleted", 200, found)
        # The one created and deleted within the window is left out, as documented.
        [gone] = found["response"]
        assert gone["document"]["id"] == seeded and gone["deletedAt"]
        stack.clockify.settings.deleted_changes_shape = "list"
        assert [d["id"] for d in changes(stack, "deleted", start=since(60))] == [seeded]
    finally:
        stack.clockify.settings.deletion_visible_after = 60.0
        stack.clockify.settings.deleted_changes_shape = "response"


def test_type_is_required(stack: Stack) -> None:
    answer = call(stack, "GET", f"{WS}/entities/created")
    assert answer.status_code == 400 and "type" in answer.json()["message"]
