"""Clockify DTOs -> domain records. Pure: no I/O. Durations arrive as ISO-8601 strings (regular
API), integer seconds (detailed report), numeric strings (a doc artefact) or null (running)."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from adapters.base import (
    ApprovalState,
    PersonRecord,
    Platform,
    ProjectRecord,
    TagRecord,
    TaskRecord,
    TimeEntryRecord,
    TimerRecord,
    WorkScheduleRecord,
)

C = Platform.CLOCKIFY
_ISO_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def duration_seconds(raw: Any) -> int | None:
    """Seconds from any of the duration forms Clockify answers with."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise ValueError(f"not a duration: {raw!r}")
    if isinstance(raw, int | float):
        return int(raw)
    text = str(raw).strip()
    if text.lstrip("-").isdigit():
        return int(text)
    match = _ISO_DURATION.match(text)
    if not match or text in ("P", "PT"):
        raise ValueError(f"not a duration: {raw!r}")
    parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
    return int(parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60 + parts["s"])


def iso_duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    return text + (f"{secs}S" if secs or text == "PT" else "")


def timestamp(raw: Any) -> datetime | None:
    if not isinstance(raw, str) or not raw:
        return None
    return datetime.fromisoformat(raw.replace("Z", "+00:00"))


@lru_cache(maxsize=512)
def zone(name: str | None) -> ZoneInfo:
    """The zone object for a name, looked up once (unknown names are UTC)."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def person(user: dict[str, Any]) -> PersonRecord:
    settings = user.get("settings") or {}
    memberships = user.get("memberships") or []
    status = next(
        (m.get("membershipStatus") for m in memberships if m.get("membershipType") == "WORKSPACE"),
        user.get("status"),
    )
    return PersonRecord(
        platform=C,
        remote_id=str(user["id"]),
        first_name=None,  # Clockify keeps one name field
        last_name=None,
        name=user.get("name") or user.get("email") or str(user["id"]),
        email=user.get("email"),
        active=status in ("ACTIVE", None),
        time_zone=settings.get("timeZone"),
        avatar_url=user.get("profilePicture") or None,
        raw=user,
    )


def time_entry(dto: dict[str, Any], time_zone: str | None) -> TimeEntryRecord:
    """A regular-API or detailed-report entry; `date` is the start's day in the user's zone."""
    interval = dto.get("timeInterval") or {}
    start = timestamp(interval.get("start"))
    end = timestamp(interval.get("end"))
    if start is None:
        raise ValueError("a Clockify time entry always has a start")
    seconds = duration_seconds(interval.get("duration"))
    if seconds is None and end is not None:
        seconds = int((end - start).total_seconds())
    running = end is None
    billable = bool(dto.get("billable"))
    tags = dto.get("tagIds") or [t.get("id") for t in dto.get("tags") or [] if t.get("id")]
    return TimeEntryRecord(
        platform=C,
        remote_id=str(dto.get("id") or dto.get("_id")),
        person_id=dto.get("userId"),
        date=start.astimezone(zone(time_zone)).date(),
        started_at=start,
        ended_at=end,
        duration_seconds=None if running else seconds,
        billable=billable,
        billable_seconds=None if running else (seconds if billable else 0),
        note=dto.get("description") or None,
        running=running,
        approval_state=ApprovalState.DRAFT,
        approval_state_raw="NOT_SUBMITTED",
        locked=bool(dto.get("isLocked", dto.get("locked"))),
        raw=dto,
        project_id=dto.get("projectId"),
        task_id=dto.get("taskId"),
        tag_ids=tuple(str(t) for t in tags),
        approval_request_id=dto.get("approvalRequestId"),
        entry_type=_entry_type(dto.get("type")),
    )


ENTRY_TYPES = frozenset({"REGULAR", "BREAK", "HOLIDAY", "TIME_OFF"})


def _entry_type(raw: Any) -> str:
    # A type this gateway does not know yet stays in `raw`; it is counted as regular work.
    return str(raw) if raw in ENTRY_TYPES else "REGULAR"


def timer(entry: TimeEntryRecord) -> TimerRecord:
    """A Clockify timer is its running time entry."""
    assert entry.started_at is not None
    return TimerRecord(
        C,
        entry.remote_id,
        entry.person_id,
        entry.remote_id,
        entry.started_at,
        entry.ended_at,
        entry.raw,
    )


WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def work_schedule(profile: dict[str, Any]) -> WorkScheduleRecord:
    """A member profile's `workCapacity` (ISO-8601), `workingDays` and `weekStart`. The docs
    show `workingDays` as a JSON-encoded list inside a string and the spec types it as one
    day: a list, such a string, or one day are all read."""
    days = profile.get("workingDays")
    if isinstance(days, str):
        try:
            days = json.loads(days) if days.strip().startswith("[") else [days]
        except ValueError:
            days = []
    working = tuple(d for d in WEEKDAYS if isinstance(days, list) and d in days)
    start = profile.get("weekStart")
    return WorkScheduleRecord(
        capacity_seconds=duration_seconds(profile.get("workCapacity")),
        working_days=working,
        week_start=start if start in WEEKDAYS else None,
        raw=profile,
    )


def project(dto: dict[str, Any]) -> ProjectRecord:
    return ProjectRecord(
        C,
        str(dto["id"]),
        dto.get("name") or "",
        dto,
        color=dto.get("color"),
        billable=dto.get("billable"),
        archived=bool(dto.get("archived")),
    )


def task(dto: dict[str, Any]) -> TaskRecord:
    return TaskRecord(
        C,
        str(dto["id"]),
        dto.get("name") or "",
        dto,
        project_id=dto.get("projectId"),
        done=dto.get("status") == "DONE",
    )


def carried_project(entry: TimeEntryRecord) -> ProjectRecord | None:
    """The project as a detailed-report entry names it (`projectName`, `projectColor`:
    clockify-openapi.yaml, TimeEntryDto), or None when the entry came without its name."""
    raw = entry.raw
    name = raw.get("projectName") if isinstance(raw, dict) else None
    if entry.project_id is None or not isinstance(name, str):
        return None
    return ProjectRecord(
        C,
        entry.project_id,
        name,
        {"id": entry.project_id, "name": name},
        color=raw.get("projectColor"),
        partial=True,
    )


def carried_task(entry: TimeEntryRecord) -> TaskRecord | None:
    """The task as a detailed-report entry names it (`taskName`), or None."""
    raw = entry.raw
    name = raw.get("taskName") if isinstance(raw, dict) else None
    if entry.task_id is None or not isinstance(name, str):
        return None
    return TaskRecord(
        C,
        entry.task_id,
        name,
        {"id": entry.task_id, "name": name},
        project_id=entry.project_id,
        partial=True,
    )


def tag(dto: dict[str, Any]) -> TagRecord:
    return TagRecord(C, str(dto["id"]), dto.get("name") or "", dto, bool(dto.get("archived")))


def utc_bounds(start: date | None, end: date | None) -> tuple[datetime, datetime]:
    """UTC instants wide enough for every time zone (UTC-12 to UTC+14) around a date range."""
    first = datetime.combine(start or date.today() - timedelta(days=365), datetime.min.time(), UTC)
    last = datetime.combine(end or date.today() + timedelta(days=1), datetime.max.time(), UTC)
    return first - timedelta(hours=14), last + timedelta(hours=12)
