"""The deterministic demo workspace: the shared team, four weeks of time, approvals and time off."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from simulators.clockify.store import Entry, User, Workspace, object_id, stamp
from simulators.roster import TEAM, Member, generated, seeded_days

WORKSPACE_ID = object_id("workspace", 1)
PROJECTS = [
    ("Website relaunch", "#1976D2", True),
    ("Mobile app", "#43A047", True),
    ("Internal", "#8E24AA", False),
]
TASKS = {
    0: ["Landing page", "Checkout flow"],
    1: ["Push notifications", "Release testing"],
    2: ["Weekly planning"],
}
TAGS = ["frontend", "backend", "meeting"]
ADMIN_INDEX = 0
RUNNING_INDEXES = (1, 6)


def user_ids(members: tuple[Member, ...] = TEAM) -> list[str]:
    """Clockify ids of the team members who use Clockify, in roster order."""
    return [object_id("user", i) for i, m in enumerate(members) if m.on_clockify]


def seed(ws: Workspace, anchor: date, team: tuple[Member, ...] = TEAM) -> None:
    rng = random.Random(1234)
    extra = {object_id("user", i) for i, m in enumerate(team) if generated(m)}
    for i, member in enumerate(team):
        if member.on_clockify:
            uid = object_id("user", i)
            ws.users[uid] = User(
                uid, member.name, member.email, member.time_zone, admin=i == ADMIN_INDEX
            )
            if member.first_name == "Hiro":  # part time: six hours, Monday to Thursday
                ws.users[uid].work_capacity = "PT6H"
                ws.users[uid].working_days = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY")
    _managers(ws)
    _catalog(ws)
    _entries(ws, anchor, rng, extra)
    _approvals(ws, anchor)
    _time_off(ws, anchor)


def _managers(ws: Workspace) -> None:
    """The admin manages everyone else; Ben also manages Chloé and Dev (two managers each)."""
    admin = object_id("user", ADMIN_INDEX)
    ben, team_of_ben = object_id("user", 1), {object_id("user", 2), object_id("user", 3)}
    for uid, user in ws.users.items():
        if uid != admin:
            user.manager_ids = (admin, ben) if uid in team_of_ben else (admin,)


def _catalog(ws: Workspace) -> None:
    for p, (name, color, billable) in enumerate(PROJECTS):
        pid = object_id("project", p)
        ws.projects[pid] = {
            "archived": False,
            "billable": billable,
            "color": color,
            "costRate": None,
            "duration": "PT0S",
            "estimate": {"estimate": "PT0S", "type": "AUTO"},
            "hourlyRate": {"amount": 5000, "currency": "EUR"},
            "id": pid,
            "memberships": [],
            "name": name,
            "note": "",
            "public": True,
            "template": False,
            "workspaceId": ws.id,
        }
        for t, task_name in enumerate(TASKS[p]):
            tid = object_id("task", p * 10 + t)
            ws.tasks[tid] = {
                "assigneeId": None,
                "assigneeIds": [],
                "billable": billable,
                "budgetEstimate": 0,
                "costRate": None,
                "duration": "PT0S",
                "estimate": "PT0S",
                "hourlyRate": None,
                "id": tid,
                "name": task_name,
                "projectId": pid,
                "status": "ACTIVE",
                "userGroupIds": [],
            }
    for t, name in enumerate(TAGS):
        tid = object_id("tag", t)
        ws.tags[tid] = {"archived": False, "id": tid, "name": name, "workspaceId": ws.id}


def _entries(ws: Workspace, anchor: date, rng: random.Random, extra: set[str]) -> None:
    n = 0
    projects = list(ws.projects)
    tags = list(ws.tags)
    for day in seeded_days(anchor):
        for user in ws.users.values():
            if user.id in extra and day < anchor:
                continue
            zone = ZoneInfo(user.time_zone)
            for hour, minutes in ((9, 210), (13, 240)):
                minutes += rng.choice((-45, -15, 0, 30))
                project = rng.choice(projects)
                task = next((t for t, v in ws.tasks.items() if v["projectId"] == project), None)
                start = datetime.combine(day, time(hour), zone).astimezone(UTC)
                n += 1
                eid = object_id("entry", n)
                ws.entries[eid] = Entry(
                    eid,
                    user.id,
                    start,
                    start + timedelta(minutes=minutes),
                    description=rng.choice(
                        ("Sprint work", "Code review", "Standup", "Design sync")
                    ),
                    project_id=project,
                    task_id=task if rng.random() < 0.7 else None,
                    tag_ids=[rng.choice(tags)] if rng.random() < 0.6 else [],
                    billable=bool(ws.projects[project]["billable"]),
                )
    now = ws.now()
    for index in RUNNING_INDEXES:
        uid = object_id("user", index)
        eid = object_id("entry", 90_000 + index)
        ws.entries[eid] = Entry(
            eid,
            uid,
            now - timedelta(minutes=25 + index),
            None,
            description="Investigating flaky build",
            project_id=projects[1],
            tag_ids=[tags[1]],
        )


def approval_dto(
    ws: Workspace,
    rid: str,
    user: User,
    start: datetime,
    state: str,
    note: str | None = None,
    by: User | None = None,
) -> dict[str, Any]:
    end = start + timedelta(days=7) - timedelta(seconds=1)
    return {
        "creator": {"userEmail": user.email, "userId": user.id, "userName": user.name},
        "dateRange": {"end": stamp(end), "start": stamp(start)},
        "id": rid,
        "owner": {
            "startOfWeek": "MONDAY",
            "timeZone": user.time_zone,
            "userId": user.id,
            "userName": user.name,
        },
        "status": {
            "note": note,
            "state": state,
            "updatedAt": stamp(start + timedelta(days=8)),
            "updatedBy": by.id if by else user.id,
            "updatedByUserName": by.name if by else user.name,
        },
        "workspaceId": ws.id,
    }


def week_start(ws_user: User, monday: date) -> datetime:
    return datetime.combine(monday, time(0), ZoneInfo(ws_user.time_zone)).astimezone(UTC)


def _approvals(ws: Workspace, anchor: date) -> None:
    admin = ws.users[object_id("user", ADMIN_INDEX)]
    first = anchor - timedelta(weeks=3)
    n = 0
    for week in range(3):
        monday = first + timedelta(weeks=week)
        for index, user in enumerate(ws.users.values()):
            n += 1
            rid = object_id("approval", n)
            start = week_start(user, monday)
            if week < 2:
                state, note = "APPROVED", None
            elif index == 3:
                state, note = "REJECTED", "Missing project on Tuesday"
            else:
                state, note = "PENDING", None
            by = admin if state != "PENDING" else None
            ws.approvals[rid] = approval_dto(ws, rid, user, start, state, note, by)
            for entry in ws.entries_between(user.id, start, start + timedelta(days=7)):
                entry.approval_request_id = rid
                entry.locked = state in ("APPROVED", "PENDING")


def policy_dto(ws: Workspace, pid: str, name: str, **values: Any) -> dict[str, Any]:
    return {
        "allowHalfDay": False,
        "allowNegativeBalance": False,
        "approve": {
            "requiresApproval": True,
            "specificMembers": False,
            "teamManagers": True,
            "userIds": [],
        },
        "archived": False,
        "automaticAccrual": None,
        "automaticTimeEntryCreation": None,
        "everyoneIncludingNew": True,
        "id": pid,
        "name": name,
        "negativeBalance": None,
        "projectId": None,
        "timeUnit": "DAYS",
        "userGroupIds": [],
        "userIds": [],
        "workspaceId": ws.id,
        **values,
    }


def _time_off(ws: Workspace, anchor: date) -> None:
    admin = ws.users[object_id("user", ADMIN_INDEX)]
    ids = [object_id("policy", i) for i in range(4)]
    ws.policies[ids[0]] = policy_dto(ws, ids[0], "Vacation", allowHalfDay=True)
    ws.policies[ids[1]] = policy_dto(
        ws,
        ids[1],
        "Sick leave",
        allowHalfDay=True,
        approve={
            "requiresApproval": False,
            "specificMembers": False,
            "teamManagers": False,
            "userIds": [],
        },
    )
    ws.policies[ids[2]] = policy_dto(
        ws,
        ids[2],
        "Overtime compensation",
        timeUnit="HOURS",
        allowNegativeBalance=True,
        negativeBalance={"amount": 16, "period": "YEAR", "shouldReset": True, "timeUnit": "HOURS"},
        approve={
            "requiresApproval": True,
            "specificMembers": True,
            "teamManagers": False,
            "userIds": [admin.id],
        },
        everyoneIncludingNew=False,
        userIds=user_ids()[:4],
    )
    ws.policies[ids[3]] = policy_dto(ws, ids[3], "Parental leave (old)", archived=True)
    users = list(ws.users.values())
    rows = [
        (users[1], ids[0], 7, 3, "PENDING"),
        (users[4], ids[0], -7, 2, "APPROVED"),
        (users[5], ids[0], 14, 5, "REJECTED"),
        (users[2], ids[1], -10, 1, "APPROVED"),
    ]
    for n, (user, policy, offset, days, state) in enumerate(rows):
        rid = object_id("timeoff", n)
        start = week_start(user, anchor + timedelta(days=offset))
        ws.time_off[rid] = time_off_dto(
            ws,
            rid,
            user,
            ws.policies[policy],
            start,
            days,
            state,
            admin if state != "PENDING" else None,
        )
    hid = object_id("holiday", 1)
    ws.holidays[hid] = {
        "automaticTimeEntryCreation": False,
        "datePeriod": {
            "startDate": (anchor - timedelta(days=4)).isoformat(),
            "endDate": (anchor - timedelta(days=4)).isoformat(),
        },
        "everyoneIncludingNew": True,
        "id": hid,
        "name": "Company day",
        "occursAnnually": False,
        "projectId": None,
        "taskId": None,
        "userGroupIds": [],
        "userIds": [],
        "workspaceId": ws.id,
    }


def time_off_dto(
    ws: Workspace,
    rid: str,
    user: User,
    policy: dict[str, Any],
    start: datetime,
    days: int,
    state: str,
    by: User | None,
    note: str | None = None,
    half_day: bool = False,
) -> dict[str, Any]:
    end = start + timedelta(days=days) - timedelta(seconds=1)
    return {
        "balance": 20.0,
        "balanceDiff": float(days if not half_day else 0.5),
        "createdAt": stamp(start - timedelta(days=10)),
        "id": rid,
        "note": note,
        "policyId": policy["id"],
        "policyName": policy["name"],
        "requesterUserId": user.id,
        "requesterUserName": user.name,
        "status": {
            "changedAt": stamp(start - timedelta(days=9)) if by else None,
            "changedByUserId": by.id if by else None,
            "changedByUserName": by.name if by else None,
            "changedForUserName": user.name,
            "note": None,
            "statusType": state,
        },
        "timeOffPeriod": {
            "halfDay": half_day,
            "halfDayHours": None,
            "halfDayPeriod": "NOT_DEFINED",
            "period": {"start": stamp(start), "end": stamp(end)},
        },
        "timeUnit": policy["timeUnit"],
        "userEmail": user.email,
        "userId": user.id,
        "userName": user.name,
        "userTimeZone": user.time_zone,
        "workspaceId": ws.id,
    }
