"""The views of one human's days: the weekly timesheet (days × projects), violations of the
policy that applies, and cross-tool overlaps, as GraphQL types."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from adapters.base import ApprovalState, Platform, TimeEntryRecord
from adapters.concurrency import gather
from schema.context import Context
from schema.enums import ApprovalStatus, PlatformName
from schema.humans.compliance import Violation
from schema.humans.days import DayRecord
from schema.humans.enums import ComplianceRule, DayKind, OverlapEvidence, TimeOverlapKind
from schema.humans.overlaps import Overlap

if TYPE_CHECKING:
    from schema.approval import Approval
    from schema.time_entry import TimeEntry

TimeEntryRef = Annotated["TimeEntry", strawberry.lazy("schema.time_entry")]
ApprovalRef = Annotated["Approval", strawberry.lazy("schema.approval")]
# Which state speaks for a set of entries: the first present, in this order.
STATE_ORDER = (
    ApprovalState.REJECTED,
    ApprovalState.DRAFT,
    ApprovalState.WITHDRAWN,
    ApprovalState.PENDING,
    ApprovalState.APPROVED,
)


def overall(entries: list[TimeEntryRecord]) -> ApprovalStatus | None:
    states = {e.approval_state for e in entries}
    found = next((s for s in STATE_ORDER if s in states), None)
    return ApprovalStatus.of(found) if found else None


def entry_objects(records: tuple[TimeEntryRecord, ...] | list[TimeEntryRecord]) -> list[TimeEntry]:
    from schema.time_entry import TimeEntry

    return [TimeEntry(record=r) for r in records]


@strawberry.type(description="Minutes tracked on one platform.")
class PlatformMinutes:
    platform: PlatformName = strawberry.field(description="The platform.")
    minutes: int = strawberry.field(description="Minutes tracked there (breaks excluded).")


@strawberry.type(description="One day of a human's timesheet.")
class TimesheetDay:
    record: strawberry.Private[DayRecord]

    @strawberry.field(description="The day, in the human's calendar.")
    def date(self) -> dt.date:
        return self.record.date

    @strawberry.field(description="Working, non-working, holiday, or a full or half absence.")
    def kind(self) -> DayKind:
        return DayKind.of(self.record.kind)

    @strawberry.field(
        description="Minutes expected: the schedule's day on working days, half of it on a "
        "half day off, none on other days."
    )
    def expected_minutes(self) -> int:
        return self.record.expected_minutes

    @strawberry.field(description="Minutes worked in both tools (breaks excluded).")
    def worked_minutes(self) -> int:
        return self.record.worked_minutes

    @strawberry.field(description="Minutes of breaks (Clockify BREAK entries).")
    def break_minutes(self) -> int:
        return self.record.break_minutes

    @strawberry.field(description="Worked minutes per platform.")
    def platforms(self) -> list[PlatformMinutes]:
        return [
            PlatformMinutes(platform=PlatformName.of(p), minutes=self.record.minutes_on(p))
            for p in Platform
        ]

    @strawberry.field(
        description="Where the day's entries stand (REJECTED, then DRAFT, WITHDRAWN, PENDING, "
        "APPROVED: the first any entry is in); null without entries."
    )
    def approval_status(self) -> ApprovalStatus | None:
        return overall([s.entry for s in self.record.worked])

    @strawberry.field(description="Names of the day's holidays.")
    def holidays(self) -> list[str]:
        return sorted({h.name for h in self.record.holidays})

    @strawberry.field(description="The approved time off that covers the day, if any.")
    def absence(self) -> ApprovalRef | None:
        from schema.approval import Approval

        return Approval(record=self.record.absence) if self.record.absence else None

    @strawberry.field(description="The day's entries, breaks included, in order of start.")
    def entries(self) -> list[TimeEntryRef]:
        pieces = sorted(
            [*self.record.worked, *self.record.breaks],
            key=lambda p: (p.start.isoformat() if p.start else "", p.entry.remote_id),
        )
        return entry_objects([p.entry for p in pieces])


@strawberry.type(description="One project's row of a weekly timesheet.")
class TimesheetRow:
    platform: PlatformName = strawberry.field(description="Where the project lives.")
    project_id: strawberry.ID | None = strawberry.field(
        description="The Project's ID; null for time without a project."
    )
    project_name: str | None = strawberry.field(description="The project's name.")
    minutes_by_day: list[int] = strawberry.field(
        description="Worked minutes on each day of the week, in order."
    )
    total_minutes: int = strawberry.field(description="The row's minutes in all.")


@strawberry.type(description="Where a week's submission stands on one platform.")
class WeekSubmission:
    platform: PlatformName = strawberry.field(description="The platform.")
    status: ApprovalStatus | None = strawberry.field(
        description="DRAFT while any entry there is unsubmitted, else the state speaking for "
        "its entries; null without entries."
    )


@strawberry.type(description="A rule of the applying time tracking policy broken on one day.")
class PolicyViolation:
    record: strawberry.Private[Violation]

    @strawberry.field(description="The day.")
    def date(self) -> dt.date:
        return self.record.date

    @strawberry.field(description="The rule broken.")
    def rule(self) -> ComplianceRule:
        return ComplianceRule.of(self.record.rule)

    @strawberry.field(description="The kind of day, which decides the daily limit.")
    def day_kind(self) -> DayKind:
        return DayKind.of(self.record.day_kind)

    @strawberry.field(description="What is wrong, for people.")
    def message(self) -> str:
        return self.record.message

    @strawberry.field(description="The limit in minutes, for a daily limit.")
    def limit_minutes(self) -> int | None:
        return self.record.limit_minutes

    @strawberry.field(description="What was measured in minutes (both tools counted).")
    def measured_minutes(self) -> int | None:
        return self.record.measured_minutes

    @strawberry.field(description="The entries involved.")
    def entries(self) -> list[TimeEntryRef]:
        return entry_objects(self.record.entries)


@strawberry.type(description="The same human tracking in both tools at once, or twice over.")
class TimeOverlap:
    record: strawberry.Private[Overlap]

    @strawberry.field(description="A time overlap, or a likely duplicate.")
    def kind(self) -> TimeOverlapKind:
        return TimeOverlapKind.of(self.record.kind)

    @strawberry.field(description="The day.")
    def date(self) -> dt.date:
        return self.record.date

    @strawberry.field(description="Start of the shared time; null without a time overlap.")
    def start(self) -> dt.datetime | None:
        return self.record.start

    @strawberry.field(description="End of the shared time; null without a time overlap.")
    def end(self) -> dt.datetime | None:
        return self.record.end

    @strawberry.field(description="Minutes tracked twice at the same time (0 without).")
    def minutes(self) -> int:
        return self.record.minutes

    @strawberry.field(description="What the finding rests on.")
    def evidence(self) -> list[OverlapEvidence]:
        return [OverlapEvidence.of(e) for e in self.record.evidence]

    @strawberry.field(description="The Productive entry, then the Clockify one.")
    def entries(self) -> list[TimeEntryRef]:
        return entry_objects(self.record.entries)


def project_key(entry: TimeEntryRecord) -> tuple[Platform, str | None]:
    return (entry.platform, entry.project_id)


async def project_names(
    ctx: Context, entries: list[TimeEntryRecord]
) -> dict[tuple[Platform, str | None], str]:
    """Names of the projects the entries are on, through the loaders (batched)."""
    from schema.work import load_project

    keys = sorted({project_key(e) for e in entries if e.project_id}, key=str)
    found = await gather(*(load_project(ctx, platform, project) for platform, project in keys))
    return {key: p.record.name for key, p in zip(keys, found, strict=True) if p is not None}
