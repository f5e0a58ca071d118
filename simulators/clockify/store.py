"""Clockify's workspace as the simulator keeps it, and the DTOs it renders (OpenAPI spec)."""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any


def object_id(kind: str, n: int) -> str:
    """A deterministic 24-hex id, shaped like Clockify's Mongo ObjectIds."""
    return hashlib.sha1(f"{kind}:{n}".encode()).hexdigest()[:24]


def stamp(moment: datetime | None) -> str | None:
    """Clockify answers timestamps in UTC with a `Z`."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_stamp(raw: Any) -> datetime:
    """Parse an ISO timestamp; one without an offset is read as UTC here (callers pass a zone)."""
    if not isinstance(raw, str) or not raw:
        raise ValueError("not a timestamp")
    moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def iso_duration(seconds: int | None) -> str | None:
    """ISO-8601 durations as the regular API writes them: PT8H, PT1H30M, PT45S, PT0S."""
    if seconds is None:
        return None
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    text += f"{secs}S" if secs or text == "PT" else ""
    return text


@dataclass(slots=True)
class Entry:
    """A time entry; `end is None` means it is the user's running timer."""

    id: str
    user_id: str
    start: datetime
    end: datetime | None
    description: str = ""
    project_id: str | None = None
    task_id: str | None = None
    tag_ids: list[str] = field(default_factory=list)
    billable: bool = True
    type: str = "REGULAR"
    locked: bool = False
    approval_request_id: str | None = None
    # When it was created and last changed (None: seeded, as of its start); the Entity
    # Changes API reads them.
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def seconds(self) -> int | None:
        return None if self.end is None else int((self.end - self.start).total_seconds())


@dataclass(slots=True)
class User:
    """A workspace member; `admin` decides what its API key may read and write."""

    id: str
    name: str
    email: str
    time_zone: str
    admin: bool = False
    status: str = "ACTIVE"
    hourly_rate: int = 5000
    # The member profile's schedule: capacity per working day, and the working days.
    work_capacity: str = "PT8H"
    working_days: tuple[str, ...] = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
    # Team managers of this user ("Find user's team manager"): they approve the user's time.
    manager_ids: tuple[str, ...] = ()


class Workspace:
    """Everything of one workspace, plus the id sequence for what tests create."""

    def __init__(self, workspace_id: str, name: str) -> None:
        self.id = workspace_id
        self.name = name
        self.users: dict[str, User] = {}
        self.projects: dict[str, dict[str, Any]] = {}
        self.tasks: dict[str, dict[str, Any]] = {}
        self.tags: dict[str, dict[str, Any]] = {}
        self.entries: dict[str, Entry] = {}
        self.approvals: dict[str, dict[str, Any]] = {}
        self.policies: dict[str, dict[str, Any]] = {}
        self.time_off: dict[str, dict[str, Any]] = {}
        self.holidays: dict[str, dict[str, Any]] = {}
        # Time-off allowance per (policy id, user id), before what approved requests used.
        self.allowances: dict[tuple[str, str], float] = {}
        # Deleted entries: (when, when created, the entry's DTO), for the Entity Changes API.
        self.deleted: list[tuple[datetime, datetime, dict[str, Any]]] = []
        self.webhooks: dict[str, dict[str, Any]] = {}
        self.ids = itertools.count(10_000)

    def new_id(self, kind: str) -> str:
        return object_id(kind, next(self.ids))

    @staticmethod
    def now() -> datetime:
        return datetime.now(UTC).replace(microsecond=0)

    def running_entry(self, user_id: str) -> Entry | None:
        return next(
            (e for e in self.entries.values() if e.user_id == user_id and e.end is None), None
        )

    def user_dto(self, user: User) -> dict[str, Any]:
        return {
            "activeWorkspace": self.id,
            "customFields": [],
            "defaultWorkspace": self.id,
            "email": user.email,
            "id": user.id,
            "memberships": [
                {
                    "costRate": None,
                    "hourlyRate": {"amount": user.hourly_rate, "currency": "EUR"},
                    "membershipStatus": user.status,
                    "membershipType": "WORKSPACE",
                    "targetId": self.id,
                    "userId": user.id,
                }
            ],
            "name": user.name,
            "profilePicture": f"https://img.example.com/{user.id}.png",
            "settings": {
                "dateFormat": "YYYY-MM-DD",
                "timeFormat": "HOUR24",
                "timeZone": user.time_zone,
                "weekStart": "MONDAY",
                "theme": "DEFAULT",
                "lang": "EN",
            },
            "status": user.status,
        }

    def entry_dto(
        self, entry: Entry, *, with_rates: bool = True, iso: bool = True
    ) -> dict[str, Any]:
        seconds = entry.seconds
        duration: Any = (
            iso_duration(seconds) if iso else (None if seconds is None else str(seconds))
        )
        body: dict[str, Any] = {
            "billable": entry.billable,
            "customFieldValues": [],
            "description": entry.description,
            "id": entry.id,
            "isLocked": entry.locked,
            "kioskId": None,
            "projectId": entry.project_id,
            "tagIds": list(entry.tag_ids) or None,
            "taskId": entry.task_id,
            "timeInterval": {
                "duration": duration,
                "end": stamp(entry.end),
                "start": stamp(entry.start),
            },
            "type": entry.type,
            "userId": entry.user_id,
            "workspaceId": self.id,
        }
        if with_rates:
            rate = self.users[entry.user_id].hourly_rate if entry.user_id in self.users else 0
            body["hourlyRate"] = {"amount": rate, "currency": "EUR"}
            body["costRate"] = {"amount": rate // 2, "currency": "EUR"}
        return body

    def report_entry(self, entry: Entry, zone: Any) -> dict[str, Any]:
        """An entry as the detailed report writes it: `_id`, names, integer seconds."""
        user = self.users[entry.user_id]
        project = self.projects.get(entry.project_id or "")
        task = self.tasks.get(entry.task_id or "")
        return {
            "_id": entry.id,
            "approvalRequestId": entry.approval_request_id,
            "billable": entry.billable,
            "clientId": None,
            "clientName": "",
            "description": entry.description,
            "locked": entry.locked,
            "projectColor": project["color"] if project else None,
            "projectId": entry.project_id,
            "projectName": project["name"] if project else None,
            "tags": [
                {"id": t, "name": self.tags[t]["name"]} for t in entry.tag_ids if t in self.tags
            ],
            "taskId": entry.task_id,
            "taskName": task["name"] if task else None,
            "timeInterval": {
                "start": entry.start.astimezone(zone).isoformat(),
                "end": entry.end.astimezone(zone).isoformat() if entry.end else None,
                "duration": entry.seconds,
            },
            "userEmail": user.email,
            "userId": user.id,
            "userName": user.name,
        }

    def entries_between(self, user_id: str, start: datetime, end: datetime) -> list[Entry]:
        return [
            e for e in self.entries.values() if e.user_id == user_id and start <= e.start <= end
        ]


def week_bounds(start: datetime) -> tuple[datetime, datetime]:
    return start, start + timedelta(days=7) - timedelta(seconds=1)
