"""The enums of the human views, with the descriptions GraphiQL shows."""

from __future__ import annotations

from enum import Enum

import strawberry

from schema.humans.compliance import Rule
from schema.humans.days import DayKind as DomainDayKind
from schema.humans.overlaps import Evidence, OverlapKind


@strawberry.enum(description="What kind of day it is, which decides the daily limit and hours.")
class DayKind(Enum):
    WORKING = strawberry.enum_value("working", description="A working day of the schedule.")
    NON_WORKING = strawberry.enum_value(
        "non_working", description="A day the schedule has off (a weekend)."
    )
    HOLIDAY = strawberry.enum_value("holiday", description="A holiday of either platform.")
    FULL_DAY_ABSENCE = strawberry.enum_value(
        "full_day_absence", description="An approved full day of time off."
    )
    HALF_DAY_ABSENCE = strawberry.enum_value(
        "half_day_absence", description="An approved half day of time off."
    )

    @classmethod
    def of(cls, kind: DomainDayKind) -> DayKind:
        return cls(kind.value)


@strawberry.enum(description="A rule of a Productive time tracking policy.")
class ComplianceRule(Enum):
    DAILY_LIMIT = strawberry.enum_value(
        "daily_limit", description="More hours on a day than its kind's limit allows."
    )
    NOTE_MANDATORY = strawberry.enum_value(
        "note_mandatory", description="Entries without a note where notes are mandatory."
    )
    TASK_MANDATORY = strawberry.enum_value(
        "task_mandatory", description="Entries without a task where tasks are mandatory."
    )
    TIME_RANGE_MANDATORY = strawberry.enum_value(
        "time_range_mandatory",
        description="Entries with only a duration where a start and end are mandatory.",
    )
    FUTURE_TRACKING = strawberry.enum_value(
        "restrict_future_tracking", description="Time tracked on a future day."
    )
    OVERLAP = strawberry.enum_value(
        "restrict_time_entry_overlap", description="Entries that run at the same time."
    )

    @classmethod
    def of(cls, rule: Rule) -> ComplianceRule:
        return cls(rule.value)


@strawberry.enum(description="What a cross-tool finding rests on.")
class OverlapEvidence(Enum):
    TIME_OVERLAP = strawberry.enum_value(
        "time_overlap", description="The two entries ran at the same time."
    )
    SAME_DAY = strawberry.enum_value("same_day", description="Both are on the same day.")
    SAME_DURATION = strawberry.enum_value(
        "same_duration", description="Both last the same (within a minute)."
    )
    SIMILAR_NOTE = strawberry.enum_value(
        "similar_note", description="Their notes match, or one contains the other."
    )
    SAME_PROJECT_NAME = strawberry.enum_value(
        "same_project_name", description="Their projects have the same name."
    )

    @classmethod
    def of(cls, evidence: Evidence) -> OverlapEvidence:
        return cls(evidence.value)


@strawberry.enum(description="What a cross-tool finding is.")
class TimeOverlapKind(Enum):
    OVERLAP = strawberry.enum_value("overlap", description="Time tracked in both tools at once.")
    LIKELY_DUPLICATE = strawberry.enum_value(
        "likely_duplicate",
        description="The same work tracked twice: the same day and at least two of the same "
        "duration, a similar note, the same project name.",
    )

    @classmethod
    def of(cls, kind: OverlapKind) -> TimeOverlapKind:
        return cls(kind.value)
