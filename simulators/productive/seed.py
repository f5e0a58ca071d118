"""The deterministic demo organization: the shared team, four weeks of time, timers and policies."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from simulators.productive.store import (
    APPROVAL_POLICY_DEFAULTS,
    POLICY_DEFAULTS,
    Resource,
    Store,
    time_entry_attributes,
)
from simulators.roster import TEAM, Member, generated, seeded_days

ORGANIZATION_ID = "5301"
FIRST_PERSON_ID = 8160

PROJECTS = {"301": "Website relaunch", "302": "Mobile app", "303": "Internal"}
DEALS = {"401": "301", "402": "302", "403": "303"}
# service id -> (name, deal id, billable)
SERVICES = {
    "501": ("Design", "401", True),
    "502": ("Development", "401", True),
    "503": ("Development", "402", True),
    "504": ("QA", "402", True),
    "505": ("Meetings", "403", False),
}
# task id -> (title, project id)
TASKS = {
    "601": ("Landing page", "301"),
    "602": ("Checkout flow", "301"),
    "603": ("Push notifications", "302"),
    "604": ("Release 2.0 testing", "302"),
    "605": ("Weekly planning", "303"),
}
TASKS_OF_SERVICE = {"501": "601", "502": "602", "503": "603", "504": "604", "505": "605"}


def person_ids(members: tuple[Member, ...] = TEAM) -> list[str]:
    """Productive ids of the team members who use Productive, in roster order."""
    ids, next_id = [], FIRST_PERSON_ID
    for member in members:
        if member.on_productive:
            ids.append(str(next_id))
        next_id += 1
    return ids


def seed(store: Store, anchor: date, team: tuple[Member, ...] = TEAM) -> None:
    """Fill the store; the same anchor always gives the same data."""
    rng = random.Random(4812)
    _policies(store)
    store.add(
        Resource(
            "organizations",
            ORGANIZATION_ID,
            {"name": "Timebridge Demo d.o.o.", "time_tracking_policy_id": 1},
        )
    )
    store.add(
        Resource(
            "subsidiaries",
            "41",
            {"name": "Zagreb HQ", "archived_at": None, "time_tracking_policy_id": 2},
        )
    )
    store.add(
        Resource(
            "subsidiaries",
            "42",
            {"name": "Remote", "archived_at": None, "time_tracking_policy_id": None},
        )
    )
    for pid, name in PROJECTS.items():
        store.add(
            Resource("projects", pid, {"name": name, "project_number": pid, "archived_at": None})
        )
    for did, pid in DEALS.items():
        store.add(
            Resource(
                "deals", did, {"name": f"{PROJECTS[pid]} budget"}, {"project": ("projects", pid)}
            )
        )
    for sid, (name, did, billable) in SERVICES.items():
        store.add(
            Resource(
                "services",
                sid,
                {
                    "name": name,
                    "billing_type_id": 2 if billable else 3,
                    "time_tracking_enabled": True,
                },
                {"deal": ("deals", did)},
            )
        )
    service_of_task = {tid: sid for sid, tid in TASKS_OF_SERVICE.items()}
    for tid, (title, pid) in TASKS.items():
        store.add(
            Resource(
                "tasks",
                tid,
                {"title": title, "closed": False},
                {"project": ("projects", pid), "service": ("services", service_of_task[tid])},
            )
        )
    _holidays(store, anchor)
    ids = person_ids(team)
    members = [m for m in team if m.on_productive]
    for index, (pid, member) in enumerate(zip(ids, members, strict=True)):
        store.add(_person(store, pid, member.first_name, member.last_name, member.email, index))
    _approval_setup(store, ids)
    _absences(store, anchor, ids)
    extra = {pid for pid, m in zip(ids, members, strict=True) if generated(m)}
    _time_entries(store, anchor, ids, rng, extra)
    _running_timer(store, anchor, ids[0])


def _person(store: Store, pid: str, first: str, last: str, email: str, index: int) -> Resource:
    joined = store.stamp(datetime(2023, 1, 9, 9, 0, tzinfo=store.tz))
    return Resource(
        "people",
        pid,
        {
            "first_name": first,
            "last_name": last,
            "email": email,
            "title": "Lead" if index == 0 else "Consultant",
            "avatar_url": f"https://avatars.example.com/{pid}.png",
            "deactivated_at": None,
            "archived_at": None,
            "is_user": True,
            # Ana carries a policy of her own; the others inherit (subsidiary, then organization).
            "time_tracking_policy_id": 3 if index == 0 else None,
            "timesheet_submission_disabled": False,
            "joined_at": joined,
            "last_seen_at": joined,
            "person_type": 1,
        },
        {
            "subsidiary": ("subsidiaries", "41" if index % 2 == 0 else "42"),
            # Zagreb HQ follows the Croatian calendar, the remote half the company one.
            "holiday_calendar": ("holiday_calendars", "81" if index % 2 == 0 else "82"),
        },
    )


def _holidays(store: Store, anchor: date) -> None:
    """Two calendars: Croatia (a holiday in the anchor week) and the company's own."""
    store.add(
        Resource(
            "holiday_calendars",
            "81",
            {"name": "Croatia", "country": "HR", "state": None, "autogenerate_holidays": True},
        )
    )
    store.add(
        Resource(
            "holiday_calendars",
            "82",
            {"name": "Company", "country": None, "state": None, "autogenerate_holidays": False},
        )
    )
    rows = (
        ("91", "81", anchor + timedelta(days=2), "Local holiday"),
        ("92", "81", anchor - timedelta(days=4), "Company day"),
        ("93", "82", anchor - timedelta(days=4), "Company day"),
        ("94", "81", anchor + timedelta(days=30), "Later holiday"),
    )
    for hid, calendar, day, name in rows:
        store.add(
            Resource(
                "holidays",
                hid,
                {"date": day.isoformat(), "name": name},
                {"holiday_calendar": ("holiday_calendars", calendar)},
            )
        )


def _absences(store: Store, anchor: date, people: list[str]) -> None:
    """Two kinds of absence, and three bookings: approved, pending and rejected."""
    for eid, name, half in (("51", "Vacation", True), ("52", "Sick leave", False)):
        store.add(
            Resource(
                "events",
                eid,
                {
                    "name": name,
                    "absence_type": "time_off",
                    "half_day_bookings": half,
                    "limitation_type_id": 2,
                    "limited": True,
                    "archived_at": None,
                },
            )
        )
    rows = (
        ("1101", people[2], "51", anchor - timedelta(days=14), 2, "approved"),
        ("1102", people[3], "51", anchor + timedelta(days=10), 3, "pending"),
        ("1103", people[4], "52", anchor - timedelta(days=9), 1, "rejected"),
    )
    decided = store.stamp(datetime.combine(anchor - timedelta(days=20), time(10), store.tz))
    for bid, person, event, start, days, state in rows:
        store.add(
            Resource(
                "bookings",
                bid,
                {
                    "booking_type": "absence",
                    "started_on": start.isoformat(),
                    "ended_on": (start + timedelta(days=days - 1)).isoformat(),
                    "time": 480,
                    "note": None,
                    "draft": False,
                    "canceled": False,
                    "approved": state == "approved",
                    "approved_at": decided if state == "approved" else None,
                    "rejected": state == "rejected",
                    "rejected_at": decided if state == "rejected" else None,
                    "rejected_reason": "Team offsite that week" if state == "rejected" else None,
                    "created_at": decided,
                    "updated_at": decided,
                },
                {
                    "person": ("people", person),
                    "event": ("events", event),
                    "approver": ("people", people[0]) if state == "approved" else None,
                    "rejecter": ("people", people[0]) if state == "rejected" else None,
                },
            )
        )


def _approval_setup(store: Store, people: list[str]) -> None:
    """Who approves what. Ana (the lead) approves time on the client budgets and everyone's
    absences; Ben approves time on the internal budget (policy 14)."""
    ana, ben = people[0], people[1]
    assignments = (
        ("71", "Quote", "401", "12"),
        ("72", "Quote", "402", "12"),
        ("73", "Quote", "403", "14"),
        *((str(74 + i), "Person", pid, "11") for i, pid in enumerate(people)),
    )
    for aid, target_type, target, policy in assignments:
        store.add(
            Resource(
                "approval_policy_assignments",
                aid,
                {"target_type": target_type, "target_id": int(target)},
                {"approval_policy": ("approval_policies", policy)},
            )
        )
    for wid, policy, approver in (("61", "11", ana), ("62", "12", ana), ("63", "14", ben)):
        store.add(
            Resource(
                "approval_workflows",
                wid,
                {
                    "approver_ids": [int(approver)],
                    "subscriber_ids": [],
                    "dynamic_approver_ids": [],
                    "dynamic_subscriber_ids": [],
                    "target_type_id": None,
                    "approval_requirement_id": None,
                    "event_id": None,
                },
                {"approval_policy": ("approval_policies", policy)},
            )
        )


def _policies(store: Store) -> None:
    stamp = store.stamp(datetime(2025, 3, 3, 10, 0, tzinfo=store.tz))
    rows: list[tuple[str, str, dict[str, Any]]] = [
        ("1", "Organization default", {"working_day_limit": 10, "non_working_day_limit": 4}),
        (
            "2",
            "Zagreb HQ",
            {
                "note_mandatory": True,
                "task_mandatory": True,
                "working_day_limit": 9,
                "holiday_limit": 0,
            },
        ),
        (
            "3",
            "Team leads",
            {
                "restrict_future_tracking": True,
                "working_day_limit": 12,
                "full_day_absence_limit": 0,
                "half_day_absence_limit": 4,
            },
        ),
        ("4", "Legacy 2024", {"archived_at": stamp}),
    ]
    for pid, name, values in rows:
        store.add(
            Resource(
                "time_tracking_policies",
                pid,
                {
                    **POLICY_DEFAULTS,
                    "name": name,
                    "created_at": stamp,
                    "updated_at": stamp,
                    **values,
                },
            )
        )
    approval: list[tuple[str, str, dict[str, Any]]] = [
        (
            "11",
            "Time off approvals",
            {"type_id": 1, "default": True, "description": "Leads approve absences"},
        ),
        ("12", "Budget approvals", {"type_id": 2, "description": "Budget owners approve spend"}),
        ("13", "Old absence flow", {"type_id": 1, "custom": True, "archived_at": stamp}),
        ("14", "Internal time approvals", {"type_id": 2, "description": "Ben approves"}),
    ]
    for pid, name, values in approval:
        store.add(
            Resource("approval_policies", pid, {**APPROVAL_POLICY_DEFAULTS, "name": name, **values})
        )


def _time_entries(
    store: Store, anchor: date, people: list[str], rng: random.Random, extra: set[str]
) -> None:
    days = seeded_days(anchor)
    approver = people[0]
    next_id = 20000
    for day in days:
        week = (day - days[0]).days // 7
        for pid in people:
            if pid in extra and day < anchor:
                continue
            services = rng.sample(sorted(SERVICES), 2)
            for slot, (service, minutes) in enumerate(zip(services, (240, 180), strict=True)):
                minutes += rng.choice((-60, -30, 0, 30))
                start = datetime.combine(day, time(9 if slot == 0 else 14), store.tz)
                timed = rng.random() < 0.4
                attrs = time_entry_attributes(
                    store,
                    {
                        "date": day.isoformat(),
                        "time": minutes,
                        "billable_time": minutes if SERVICES[service][2] else 0,
                        "note": rng.choice(
                            ("Sprint work", "Client call", "Review", "Pairing", None)
                        ),
                        "started_at": store.stamp(start) if timed else None,
                        "timer_started_at": store.stamp(start) if timed else None,
                        "timer_stopped_at": store.stamp(start + timedelta(minutes=minutes))
                        if timed
                        else None,
                        "track_method_id": 2 if timed else 1,
                        "created_at": store.stamp(start),
                        "updated_at": store.stamp(start),
                        "last_activity_at": store.stamp(start),
                    },
                )
                rels: dict[str, tuple[str, str] | None] = {
                    "person": ("people", pid),
                    "service": ("services", service),
                    "task": ("tasks", TASKS_OF_SERVICE[service]) if slot == 0 else None,
                    "creator": ("people", pid),
                    "updater": ("people", pid),
                    "last_actor": ("people", pid),
                }
                _status(store, attrs, rels, week, rng, approver, start)
                store.add(Resource("time_entries", str(next_id), attrs, dict(rels)))
                next_id += 1


def _status(
    store: Store,
    attrs: dict[str, object],
    rels: dict[str, tuple[str, str] | None],
    week: int,
    rng: random.Random,
    approver: str,
    start: datetime,
) -> None:
    decided = store.stamp(start + timedelta(days=7))
    if week <= 1 or (week == 2 and rng.random() < 0.3):
        attrs.update(approved=True, approved_at=decided, submitted=True)
        rels["approver"] = ("people", approver)
    elif week == 2 and rng.random() < 0.15:
        attrs.update(
            rejected=True,
            rejected_at=decided,
            submitted=True,
            rejected_reason="Please split meetings from development time",
        )
        rels["rejecter"] = ("people", approver)
    elif week == 2:
        attrs.update(submitted=True)


def _running_timer(store: Store, anchor: date, person: str) -> None:
    started = (store.now() - timedelta(minutes=47)).replace(microsecond=0)
    day = started.date().isoformat()
    attrs = time_entry_attributes(
        store,
        {
            "date": day,
            "time": 0,
            "billable_time": 0,
            "note": "Checkout flow bugfix",
            "started_at": store.stamp(started),
            "timer_started_at": store.stamp(started),
            "track_method_id": 2,
            # Created when its timer started, not when the simulator did.
            "created_at": store.stamp(started),
            "updated_at": store.stamp(started),
            "last_activity_at": store.stamp(started),
        },
    )
    entry = store.add(
        Resource(
            "time_entries",
            "29999",
            attrs,
            {
                "person": ("people", person),
                "service": ("services", "502"),
                "task": ("tasks", "602"),
                "creator": ("people", person),
            },
        )
    )
    store.add(
        Resource(
            "timers",
            "700",
            {
                "person_id": int(person),
                "started_at": store.stamp(started),
                "stopped_at": None,
                "total_time": 0,
            },
            {"time_entry": ("time_entries", entry.id)},
        )
    )
