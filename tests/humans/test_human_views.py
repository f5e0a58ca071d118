"""One human across both tools (issue 15), on a hand-made week with answers worked out by hand:
the weekly timesheet, policy compliance counting both tools, and cross-tool overlaps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from adapters.base import Platform
from schema.ids import encode
from tests.humans.handmade import CHLOE_P, make_week
from tests.stack import Stack

CHLOE = encode("Human", Platform.PRODUCTIVE, CHLOE_P)
WEEK = {"start": "2026-11-23", "end": "2026-11-29"}


def human(stack: Stack, selection: str) -> dict[str, Any]:
    """One query about Chloé's human, declaring the variables its selection uses."""
    defs = ["$id: ID!"]
    variables: dict[str, Any] = {"id": CHLOE}
    if "$r" in selection:
        defs.append("$r: DateRange!")
        variables["r"] = WEEK
    if "$s" in selection:
        defs.append("$s: Date!")
        variables["s"] = WEEK["start"]
    query = f"query({', '.join(defs)}) {{ node(id: $id) {{ ... on Human {{ {selection} }} }} }}"
    found: dict[str, Any] = stack.data(query, variables)["node"]
    return found


def test_the_weekly_timesheet_counts_both_tools_by_local_day(stack: Stack) -> None:
    made = make_week(stack).ids
    week = human(
        stack,
        """name accounts { platform } week(start: $s) { start end workedMinutes expectedMinutes
        breakMinutes submissions { platform status }
        days { date kind expectedMinutes workedMinutes breakMinutes holidays
          platforms { platform minutes } approvalStatus entries { remoteId } }
        projects { platform projectName minutesByDay totalMinutes } }""",
    )
    assert week["name"] == "Chloé Martin"
    assert [a["platform"] for a in week["accounts"]] == ["PRODUCTIVE", "CLOCKIFY"]
    w = week["week"]
    days = {d["date"]: d for d in w["days"]}
    rows = [
        (d["kind"], d["expectedMinutes"], d["workedMinutes"], d["breakMinutes"]) for d in w["days"]
    ]
    assert rows == [
        ("WORKING", 480, 720, 30),  # 240 + 360 on Productive, 120 on Clockify; the break apart
        ("HOLIDAY", 0, 60, 0),
        ("WORKING", 480, 120, 0),  # 60 before Clockify's midnight, 60 on Productive
        ("HALF_DAY_ABSENCE", 240, 60, 0),  # Clockify's entry after midnight
        ("WORKING", 480, 0, 0),
        ("NON_WORKING", 0, 0, 0),
        ("NON_WORKING", 0, 60, 0),
    ]
    assert (w["workedMinutes"], w["expectedMinutes"], w["breakMinutes"]) == (1020, 1680, 30)
    assert days["2026-11-24"]["holidays"] == ["Test holiday"]
    assert days["2026-11-23"]["platforms"] == [
        {"platform": "PRODUCTIVE", "minutes": 600},
        {"platform": "CLOCKIFY", "minutes": 120},
    ]
    monday = [e["remoteId"] for e in days["2026-11-23"]["entries"]]
    assert sorted(monday) == sorted([made["P1"], made["P2"], made["C1"], made["BREAK"]])
    assert made["C4"] in [e["remoteId"] for e in days["2026-11-26"]["entries"]]
    assert {d["approvalStatus"] for d in w["days"] if d["workedMinutes"]} == {"DRAFT"}
    assert w["submissions"] == [
        {"platform": "PRODUCTIVE", "status": "DRAFT"},
        {"platform": "CLOCKIFY", "status": "DRAFT"},
    ]
    projects = {(p["platform"], p["projectName"]): p["minutesByDay"] for p in w["projects"]}
    assert projects == {
        ("PRODUCTIVE", "Internal"): [360, 0, 0, 0, 0, 0, 0],
        ("PRODUCTIVE", "Mobile app"): [0, 0, 60, 0, 0, 0, 0],
        ("PRODUCTIVE", "Website relaunch"): [240, 0, 0, 0, 0, 0, 60],
        ("CLOCKIFY", "Mobile app"): [0, 0, 60, 60, 0, 0, 0],
        ("CLOCKIFY", "Website relaunch"): [120, 0, 0, 0, 0, 0, 0],
        ("CLOCKIFY", None): [0, 60, 0, 0, 0, 0, 0],
    }


def test_compliance_counts_both_tools_against_the_policy_that_applies(stack: Stack) -> None:
    made = make_week(stack).ids
    found = human(
        stack,
        """compliance(dateRange: $r) { date rule dayKind limitMinutes measuredMinutes
        entries { remoteId } }""",
    )["compliance"]
    got = [
        (
            v["date"],
            v["rule"],
            v["dayKind"],
            v["limitMinutes"],
            v["measuredMinutes"],
            [e["remoteId"] for e in v["entries"]],
        )
        for v in found
    ]
    # Chloé follows Zagreb HQ: 9 h on working days, 0 on holidays, notes and tasks mandatory.
    assert got == [
        ("2026-11-23", "DAILY_LIMIT", "WORKING", 540, 720, [made["P2"], made["P1"], made["C1"]]),
        ("2026-11-23", "NOTE_MANDATORY", "WORKING", None, None, [made["P2"]]),
        ("2026-11-23", "TASK_MANDATORY", "WORKING", None, None, [made["P2"], made["C1"]]),
        ("2026-11-24", "DAILY_LIMIT", "HOLIDAY", 0, 60, [made["C3"]]),
        ("2026-11-24", "TASK_MANDATORY", "HOLIDAY", None, None, [made["C3"]]),
        ("2026-11-25", "TASK_MANDATORY", "WORKING", None, None, [made["C4"]]),
        ("2026-11-26", "TASK_MANDATORY", "HALF_DAY_ABSENCE", None, None, [made["C4"]]),
    ]


def test_overlaps_and_likely_duplicates_say_their_evidence(stack: Stack) -> None:
    made = make_week(stack).ids
    found = human(
        stack,
        "overlaps(dateRange: $r) { kind date start end minutes evidence entries { remoteId } }",
    )["overlaps"]
    assert found == [
        {
            "kind": "LIKELY_DUPLICATE",
            "date": "2026-11-23",
            "start": "2026-11-23T12:00:00+01:00",
            "end": "2026-11-23T13:00:00+01:00",
            "minutes": 60,
            "evidence": ["TIME_OVERLAP", "SIMILAR_NOTE", "SAME_PROJECT_NAME"],
            "entries": [{"remoteId": made["P1"]}, {"remoteId": made["C1"]}],
        },
        {
            # The Productive hour has no times: only the duplicate signals can find it.
            "kind": "LIKELY_DUPLICATE",
            "date": "2026-11-25",
            "start": None,
            "end": None,
            "minutes": 0,
            "evidence": ["SAME_DAY", "SIMILAR_NOTE", "SAME_PROJECT_NAME"],
            "entries": [{"remoteId": made["P3"]}, {"remoteId": made["C4"]}],
        },
    ]


def test_future_time_a_full_day_off_and_overlaps_break_their_rules(stack: Stack) -> None:
    """Ana follows Team leads: no future tracking, no time on a full day off; the test turns on
    its overlap rule too. The week is two weeks ahead of today, so it stays in the future."""
    from tests.humans.handmade import ana_future_week

    made, monday = ana_future_week(stack)
    tuesday = monday + dt.timedelta(days=1)
    ana = encode("Human", Platform.PRODUCTIVE, "8160")
    found = stack.data(
        """query($id: ID!, $r: DateRange!) { node(id: $id) { ... on Human {
          compliance(dateRange: $r) { date rule dayKind limitMinutes measuredMinutes
            entries { remoteId } } } } }""",
        {"id": ana, "r": {"start": monday.isoformat(), "end": tuesday.isoformat()}},
    )["node"]["compliance"]
    got = [
        (
            v["date"],
            v["rule"],
            v["dayKind"],
            v["limitMinutes"],
            v["measuredMinutes"],
            [e["remoteId"] for e in v["entries"]],
        )
        for v in found
    ]
    both = [made["P"], made["C"]]
    assert got == [
        (monday.isoformat(), "FUTURE_TRACKING", "WORKING", None, 120, both),
        (monday.isoformat(), "OVERLAP", "WORKING", None, 30, both),
        (tuesday.isoformat(), "DAILY_LIMIT", "FULL_DAY_ABSENCE", 0, 60, [made["C2"]]),
        (tuesday.isoformat(), "FUTURE_TRACKING", "FULL_DAY_ABSENCE", None, 60, [made["C2"]]),
    ]
