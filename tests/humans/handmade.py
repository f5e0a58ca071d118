"""A hand-made week for one human across both tools (issue 15's tests): Chloé, 23–29 Nov 2026,
made through the simulators' own APIs, with the answers worked out by hand in the tests."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from adapters.base import Platform
from schema.ids import encode
from simulators.clockify.store import object_id
from tests.simulators.test_clockify_fidelity import WS, call
from tests.simulators.test_productive_fidelity import call as productive
from tests.stack import Stack

CHLOE_P, CHLOE_C = "8162", object_id("user", 2)
SICK = object_id("policy", 1)
WEBSITE, MOBILE = object_id("project", 0), object_id("project", 1)


@dataclass
class Week:
    """The remote ids of what was made: P1..P4 on Productive, C1..C4 (and the break) on
    Clockify."""

    ids: dict[str, str]


def _productive_entry(stack: Stack, **attributes: Any) -> str:
    service, task = attributes.pop("service"), attributes.pop("task", None)
    person = attributes.pop("person", CHLOE_P)
    relationships: dict[str, Any] = {
        "person": {"data": {"type": "people", "id": person}},
        "service": {"data": {"type": "services", "id": service}},
    }
    if task:
        relationships["task"] = {"data": {"type": "tasks", "id": task}}
    body = {
        "data": {"type": "time_entries", "attributes": attributes, "relationships": relationships}
    }
    made = productive(stack, "POST", "/time_entries", body)
    assert made.status_code == 201, made.text
    return str(made.json()["data"]["id"])


def _clockify_entry(stack: Stack, **body: Any) -> str:
    user = body.pop("user", CHLOE_C)
    made = call(stack, "POST", f"{WS}/user/{user}/time-entries", body)
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def make_week(stack: Stack) -> Week:
    ids = {
        # Monday: 4 h timed and 6 h without times on Productive, 2 h on Clockify overlapping
        # the first by an hour with a similar note on the same project, and a break.
        "P1": _productive_entry(
            stack,
            date="2026-11-23",
            time=240,
            note="Checkout flow",
            started_at="2026-11-23T09:00:00.000+01:00",
            service="502",
            task="602",
        ),
        "P2": _productive_entry(stack, date="2026-11-23", time=360, service="505"),
        "C1": _clockify_entry(
            stack,
            start="2026-11-23T11:00:00Z",
            end="2026-11-23T13:00:00Z",
            description="Checkout flow fixes",
            projectId=WEBSITE,
        ),
        "BREAK": _clockify_entry(
            stack,
            start="2026-11-23T12:00:00Z",
            end="2026-11-23T12:30:00Z",
            description="Lunch",
            type="BREAK",
        ),
        # Tuesday is a holiday (limit 0): an hour of support on it.
        "C3": _clockify_entry(
            stack,
            start="2026-11-24T09:00:00Z",
            end="2026-11-24T10:00:00Z",
            description="Support call",
        ),
        # Wednesday 23:00 to Thursday 01:00 in Paris, and the same release night on
        # Productive as an hour without times.
        "C4": _clockify_entry(
            stack,
            start="2026-11-25T22:00:00Z",
            end="2026-11-26T00:00:00Z",
            description="Release night",
            projectId=MOBILE,
        ),
        "P3": _productive_entry(
            stack,
            date="2026-11-25",
            time=60,
            note="Release night",
            service="503",
            task="603",
        ),
        # Sunday: an hour on Productive (no limit on non-working days in this policy).
        "P4": _productive_entry(
            stack,
            date="2026-11-29",
            time=60,
            note="Weekend fix",
            started_at="2026-11-29T10:00:00.000+01:00",
            service="502",
            task="602",
        ),
    }
    holiday = {
        "data": {
            "type": "holidays",
            "attributes": {"date": "2026-11-24", "name": "Test holiday"},
            "relationships": {
                "holiday_calendar": {"data": {"type": "holiday_calendars", "id": "81"}}
            },
        }
    }
    assert productive(stack, "POST", "/holidays", holiday).status_code == 201
    # Thursday: half a day of sick leave (approved at once: the policy needs no approval).
    sick = {
        "timeOffPeriod": {
            "period": {"start": "2026-11-25T23:00:00Z", "end": "2026-11-26T22:59:59Z"},
            "isHalfDay": True,
        }
    }
    asked = call(stack, "POST", f"{WS}/time-off/policies/{SICK}/users/{CHLOE_C}/requests", sick)
    assert asked.status_code == 200, asked.text
    return Week(ids)


def dumps(value: Any) -> str:
    return json.dumps(value, indent=1, sort_keys=True)


ANA_P, ANA_C = "8160", object_id("user", 0)


def ana_future_week(stack: Stack) -> tuple[dict[str, str], dt.date]:
    """Two weeks ahead: on Monday an hour on each platform, overlapping by half an hour; on
    Tuesday a full day of sick leave with an hour tracked on it. Team leads' overlap rule is
    turned on through the gateway's own mutation."""
    from tests.mutations.helpers import mutate

    today = dt.date.today()
    monday = today + dt.timedelta(days=14 - today.weekday())
    made = {
        "P": _productive_entry(
            stack,
            date=monday.isoformat(),
            time=60,
            note="Planning",
            started_at=f"{monday.isoformat()}T09:00:00.000+01:00",
            service="502",
            task="602",
            person=ANA_P,
        ),
        "C": _clockify_entry(
            stack,
            start=f"{monday.isoformat()}T08:30:00Z",
            end=f"{monday.isoformat()}T09:30:00Z",
            description="Roadmap",
            user=ANA_C,
        ),
    }
    tuesday = monday + dt.timedelta(days=1)
    made["C2"] = _clockify_entry(
        stack,
        start=f"{tuesday.isoformat()}T09:00:00Z",
        end=f"{tuesday.isoformat()}T10:00:00Z",
        description="Quick fix",
        user=ANA_C,
    )
    sick = {
        "timeOffPeriod": {
            "period": {
                "start": f"{(tuesday - dt.timedelta(days=1)).isoformat()}T23:00:00Z",
                "end": f"{tuesday.isoformat()}T22:59:59Z",
            }
        }
    }
    asked = call(stack, "POST", f"{WS}/time-off/policies/{SICK}/users/{ANA_C}/requests", sick)
    assert asked.status_code == 200, asked.text
    policy = encode("TimeTrackingPolicy", Platform.PRODUCTIVE, "3")
    changed = mutate(
        stack,
        "updateTimeTrackingPolicy",
        {"id": policy, "restrictTimeEntryOverlap": True},
        "policy { id }",
    )
    assert changed["userErrors"] == []
    return made, monday
