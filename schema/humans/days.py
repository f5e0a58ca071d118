"""A human's days, from both tools' records: what kind of day each is (working, non-working,
holiday, a full or half day's absence), what was expected, and what was worked.

Timed entries are split at the human's local midnight, so an entry from 23:00 to 01:00 counts
an hour on each day; an entry with only a duration (Productive) counts on its date. Breaks
(Clockify `BREAK`) are kept apart from worked time. Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from adapters.approver_records import HolidayRecord
from adapters.base import ApprovalRecord, Platform, TimeEntryRecord, WorkScheduleRecord

WEEKDAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
DEFAULT_WORKING_DAYS = WEEKDAYS[:5]
DEFAULT_DAY_MINUTES = 480
FULL_ABSENCE_MINUTES = 480  # a Productive booking of less per day is a half day


class DayKind(Enum):
    """Which daily limit of a time tracking policy applies."""

    WORKING = "working"
    NON_WORKING = "non_working"
    HOLIDAY = "holiday"
    FULL_DAY_ABSENCE = "full_day_absence"
    HALF_DAY_ABSENCE = "half_day_absence"


@dataclass(frozen=True, slots=True)
class Slice:
    """The part of one entry that falls on one day."""

    entry: TimeEntryRecord
    minutes: int
    start: dt.datetime | None  # None for an entry with only a duration
    end: dt.datetime | None


@dataclass(frozen=True, slots=True)
class DayRecord:
    date: dt.date
    kind: DayKind
    expected_minutes: int
    worked: tuple[Slice, ...]
    breaks: tuple[Slice, ...]
    holidays: tuple[HolidayRecord, ...]
    absence: ApprovalRecord | None

    @property
    def worked_minutes(self) -> int:
        return sum(s.minutes for s in self.worked)

    @property
    def break_minutes(self) -> int:
        return sum(s.minutes for s in self.breaks)

    def minutes_on(self, platform: Platform) -> int:
        return sum(s.minutes for s in self.worked if s.entry.platform is platform)


def zone(name: str | None) -> dt.tzinfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _bounds(entry: TimeEntryRecord, now: dt.datetime) -> tuple[dt.datetime, dt.datetime] | None:
    if entry.started_at is None:
        return None
    if entry.ended_at is not None:
        return entry.started_at, entry.ended_at
    if entry.duration_seconds is not None and not entry.running:
        return entry.started_at, entry.started_at + dt.timedelta(seconds=entry.duration_seconds)
    return entry.started_at, max(entry.started_at, now)  # running: up to now


def slices(
    entry: TimeEntryRecord, tz: dt.tzinfo | None, now: dt.datetime
) -> list[tuple[dt.date, Slice]]:
    """The entry's minutes by local day."""
    bounds = _bounds(entry, now)
    if bounds is None:
        minutes = (entry.duration_seconds or 0) // 60
        return [(entry.date, Slice(entry, minutes, None, None))]
    start, end = bounds
    local = tz or start.tzinfo or dt.UTC
    start, end = start.astimezone(local), end.astimezone(local)
    out: list[tuple[dt.date, Slice]] = []
    day = start.date()
    while True:
        day_start = dt.datetime.combine(day, dt.time(0), local)
        day_end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), local)
        piece_start, piece_end = max(start, day_start), min(end, day_end)
        # Differences in UTC: across a DST change a local day is 23 or 25 hours long.
        seconds = (piece_end.astimezone(dt.UTC) - piece_start.astimezone(dt.UTC)).total_seconds()
        if seconds > 0 or not out:
            out.append((day, Slice(entry, round(seconds / 60), piece_start, piece_end)))
        if end <= day_end:
            return out
        day += dt.timedelta(days=1)


def _half(absence: ApprovalRecord) -> bool:
    raw = absence.raw or {}
    if absence.platform is Platform.CLOCKIFY:
        return bool((raw.get("timeOffPeriod") or {}).get("halfDay"))
    minutes = (raw.get("attributes") or {}).get("time")
    return isinstance(minutes, int) and minutes < FULL_ABSENCE_MINUTES


def build_days(
    start: dt.date,
    end: dt.date,
    entries: Sequence[TimeEntryRecord],
    holidays: Sequence[HolidayRecord],
    absences: Sequence[ApprovalRecord],
    schedule: WorkScheduleRecord | None,
    time_zone: str | None,
    now: dt.datetime,
) -> list[DayRecord]:
    tz = zone(time_zone)
    working = (
        set(schedule.working_days)
        if schedule and schedule.working_days
        else set(DEFAULT_WORKING_DAYS)
    )
    capacity = (
        schedule.capacity_seconds // 60
        if schedule is not None and schedule.capacity_seconds
        else DEFAULT_DAY_MINUTES
    )
    by_day: dict[dt.date, list[Slice]] = {}
    for entry in entries:
        for day, piece in slices(entry, tz, now):
            by_day.setdefault(day, []).append(piece)
    days = []
    day = start
    while day <= end:
        on = tuple(h for h in holidays if _holiday_on(h, day))
        absence = next(
            (
                a
                for a in absences
                if a.period_start and a.period_end and a.period_start <= day <= a.period_end
            ),
            None,
        )
        if on:
            kind, expected = DayKind.HOLIDAY, 0
        elif absence is not None and _half(absence):
            kind, expected = DayKind.HALF_DAY_ABSENCE, capacity // 2
        elif absence is not None:
            kind, expected = DayKind.FULL_DAY_ABSENCE, 0
        elif WEEKDAYS[day.weekday()] not in working:
            kind, expected = DayKind.NON_WORKING, 0
        else:
            kind, expected = DayKind.WORKING, capacity
        pieces = sorted(by_day.get(day, []), key=_order)
        worked = tuple(p for p in pieces if p.entry.entry_type != "BREAK")
        breaks = tuple(p for p in pieces if p.entry.entry_type == "BREAK")
        days.append(DayRecord(day, kind, expected, worked, breaks, on, absence))
        day += dt.timedelta(days=1)
    return days


def _holiday_on(holiday: HolidayRecord, day: dt.date) -> bool:
    if not holiday.occurs_annually:
        return holiday.start <= day <= holiday.end
    try:
        return holiday.start.replace(year=day.year) <= day <= holiday.end.replace(year=day.year)
    except ValueError:  # 29 February
        return False


def _order(piece: Slice) -> tuple[str, str, str]:
    moment = piece.start.isoformat() if piece.start else ""
    return (moment, piece.entry.platform.value, piece.entry.remote_id)
