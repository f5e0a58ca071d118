"""Where one human tracked the same time in both tools: entries running at the same time, and
likely duplicates (the same day with at least two of: the same duration, a similar note, the
same project name). An entry with only a duration (Productive) has no time to overlap with, so
it takes part in the duplicate signals only; every finding says which evidence it rests on.
Pure: no I/O."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from adapters.base import Platform, TimeEntryRecord
from schema.humans.days import DayRecord

MIN_NOTE = 4  # shorter notes ("x", "-") say nothing about sameness


class Evidence(Enum):
    TIME_OVERLAP = "time_overlap"
    SAME_DAY = "same_day"
    SAME_DURATION = "same_duration"
    SIMILAR_NOTE = "similar_note"
    SAME_PROJECT_NAME = "same_project_name"


class OverlapKind(Enum):
    OVERLAP = "overlap"
    LIKELY_DUPLICATE = "likely_duplicate"


@dataclass(frozen=True, slots=True)
class Overlap:
    kind: OverlapKind
    date: dt.date
    entries: tuple[TimeEntryRecord, TimeEntryRecord]  # Productive's, then Clockify's
    evidence: tuple[Evidence, ...]
    start: dt.datetime | None = None  # the shared time, for a time overlap
    end: dt.datetime | None = None
    minutes: int = 0


def _note(text: str | None) -> str:
    return re.sub(r"\W+", " ", (text or "").lower()).strip()


def similar_notes(first: str | None, second: str | None) -> bool:
    a, b = _note(first), _note(second)
    if len(a) < MIN_NOTE or len(b) < MIN_NOTE:
        return False
    return a == b or a in b or b in a


def _minutes(entry: TimeEntryRecord) -> int | None:
    if entry.duration_seconds is not None:
        return entry.duration_seconds // 60
    if entry.started_at is not None and entry.ended_at is not None:
        return int((entry.ended_at - entry.started_at).total_seconds() // 60)
    return None


def find(
    days: Sequence[DayRecord], project_name: Callable[[TimeEntryRecord], str | None]
) -> list[Overlap]:
    found: list[Overlap] = []
    seen: set[tuple[str, str]] = set()
    for day in days:
        ours = [p for p in day.worked if p.entry.platform is Platform.PRODUCTIVE]
        theirs = [p for p in day.worked if p.entry.platform is Platform.CLOCKIFY]
        for p in ours:
            for c in theirs:
                pair = (p.entry.remote_id, c.entry.remote_id)
                if pair in seen:
                    continue
                signals = []
                a, b = _minutes(p.entry), _minutes(c.entry)
                if a is not None and b is not None and abs(a - b) <= 1:
                    signals.append(Evidence.SAME_DURATION)
                if similar_notes(p.entry.note, c.entry.note):
                    signals.append(Evidence.SIMILAR_NOTE)
                names = (project_name(p.entry), project_name(c.entry))
                if names[0] and names[1] and names[0].strip().lower() == names[1].strip().lower():
                    signals.append(Evidence.SAME_PROJECT_NAME)
                shared = None
                if p.start and p.end and c.start and c.end:
                    start, end = max(p.start, c.start), min(p.end, c.end)
                    if (end - start).total_seconds() >= 60:
                        shared = (start, end)
                duplicate = len(signals) >= 2
                if shared is None and not duplicate:
                    continue
                seen.add(pair)
                kind = OverlapKind.LIKELY_DUPLICATE if duplicate else OverlapKind.OVERLAP
                if shared is not None:
                    evidence = (Evidence.TIME_OVERLAP, *signals)
                    minutes = round((shared[1] - shared[0]).total_seconds() / 60)
                    found.append(
                        Overlap(kind, day.date, (p.entry, c.entry), evidence, *shared, minutes)
                    )
                else:
                    evidence = (Evidence.SAME_DAY, *signals)
                    found.append(Overlap(kind, day.date, (p.entry, c.entry), evidence))
    return found
