"""Which rules of a Productive time tracking policy a human's days break, counting the time of
both tools: the daily limit for the day's kind, mandatory notes, tasks and time ranges,
tracking on future days, and overlapping entries. Pure: no I/O.

Limits are hours (as Productive documents them); a limit of null means none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from adapters.base import TimeEntryRecord, TimeTrackingPolicyRecord
from schema.humans.days import DayKind, DayRecord, Slice

LIMIT_OF_KIND = {
    DayKind.WORKING: "working_day_limit",
    DayKind.NON_WORKING: "non_working_day_limit",
    DayKind.HOLIDAY: "holiday_limit",
    DayKind.FULL_DAY_ABSENCE: "full_day_absence_limit",
    DayKind.HALF_DAY_ABSENCE: "half_day_absence_limit",
}


class Rule(Enum):
    DAILY_LIMIT = "daily_limit"
    NOTE_MANDATORY = "note_mandatory"
    TASK_MANDATORY = "task_mandatory"
    TIME_RANGE_MANDATORY = "time_range_mandatory"
    FUTURE_TRACKING = "restrict_future_tracking"
    OVERLAP = "restrict_time_entry_overlap"


@dataclass(frozen=True, slots=True)
class Violation:
    date: dt.date
    rule: Rule
    day_kind: DayKind
    message: str
    entries: tuple[TimeEntryRecord, ...]
    limit_minutes: int | None = None
    measured_minutes: int | None = None


def _entries(pieces: Sequence[Slice]) -> tuple[TimeEntryRecord, ...]:
    seen: dict[tuple[str, str], TimeEntryRecord] = {}
    for piece in pieces:
        seen.setdefault((piece.entry.platform.value, piece.entry.remote_id), piece.entry)
    return tuple(seen.values())


def _no_note(entry: TimeEntryRecord) -> bool:
    return not (entry.note or "").strip()


def _no_task(entry: TimeEntryRecord) -> bool:
    return entry.task_id is None


def _no_range(entry: TimeEntryRecord) -> bool:
    return entry.started_at is None


MANDATORY: tuple[tuple[Rule, Callable[[TimeEntryRecord], bool], str], ...] = (
    (Rule.NOTE_MANDATORY, _no_note, "without a note"),
    (Rule.TASK_MANDATORY, _no_task, "without a task"),
    (Rule.TIME_RANGE_MANDATORY, _no_range, "without a start and end"),
)


def overlapping_pairs(pieces: Sequence[Slice]) -> list[tuple[Slice, Slice, int]]:
    """Pairs of timed slices of one day that run at the same time, with the shared minutes."""
    timed = [p for p in pieces if p.start is not None and p.end is not None]
    pairs = []
    for i, first in enumerate(timed):
        for second in timed[i + 1 :]:
            assert first.start and first.end and second.start and second.end
            shared = (min(first.end, second.end) - max(first.start, second.start)).total_seconds()
            if shared >= 60:
                pairs.append((first, second, round(shared / 60)))
    return pairs


def check(
    days: Sequence[DayRecord], policy: TimeTrackingPolicyRecord | None, today: dt.date
) -> list[Violation]:
    if policy is None:
        return []
    out: list[Violation] = []
    for day in days:
        worked = day.worked
        limit_hours = policy.limits.get(LIMIT_OF_KIND[day.kind])
        if limit_hours is not None and worked:
            limit = round(float(limit_hours) * 60)
            if day.worked_minutes > limit:
                kind = day.kind.value.replace("_", " ")
                out.append(
                    Violation(
                        day.date,
                        Rule.DAILY_LIMIT,
                        day.kind,
                        f"{day.worked_minutes} minutes tracked on a {kind} day, over the "
                        f"{limit} allowed",
                        _entries(worked),
                        limit,
                        day.worked_minutes,
                    )
                )
        for rule, missing, what in MANDATORY:
            if not policy.flags.get(rule.value):
                continue
            lacking = _entries([p for p in worked if missing(p.entry)])
            if lacking:
                out.append(
                    Violation(day.date, rule, day.kind, f"{len(lacking)} entries {what}", lacking)
                )
        if policy.flags.get(Rule.FUTURE_TRACKING.value) and day.date > today and worked:
            out.append(
                Violation(
                    day.date,
                    Rule.FUTURE_TRACKING,
                    day.kind,
                    "time tracked on a future day",
                    _entries(worked),
                    measured_minutes=day.worked_minutes,
                )
            )
        if policy.flags.get(Rule.OVERLAP.value):
            for first, second, shared in overlapping_pairs(worked):
                out.append(
                    Violation(
                        day.date,
                        Rule.OVERLAP,
                        day.kind,
                        f"two entries overlap by {shared} minutes",
                        (first.entry, second.entry),
                        measured_minutes=shared,
                    )
                )
    return out
