"""TimeEntry: tracked time on either platform, in one shape."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, cast

import strawberry

from adapters.base import EntryQuery, Platform, TimeEntryRecord
from schema.context import Context
from schema.direct_resolvers import reads_context_only
from schema.enums import ApprovalStatus, TimeEntryType
from schema.errors import bad_input
from schema.node import PlatformObject
from schema.work import Project, Service, Tag, Task, project_now, task_now

if TYPE_CHECKING:
    from schema.person import Person

PersonRef = Annotated["Person", strawberry.lazy("schema.person")]


def check_order(query: EntryQuery, platforms: list[Platform], argument: str) -> None:
    if query.by_start_time and Platform.PRODUCTIVE in platforms:
        raise bad_input(
            argument,
            "Productive cannot sort time entries by start time; order by DATE or "
            "restrict platforms to CLOCKIFY",
        )
    if Platform.CLOCKIFY in platforms:
        if query.by_updated:
            raise bad_input(
                argument,
                "Clockify time entries carry no update time, so they cannot be ordered by it; "
                "restrict platforms to PRODUCTIVE",
            )
        if query.updated_after is not None:
            raise bad_input(
                "filter.updatedAfter",
                "Clockify time entries carry no update time; restrict platforms to PRODUCTIVE",
            )


@strawberry.type(description="Time a person tracked, on Productive or Clockify.")
class TimeEntry(PlatformObject):
    record: strawberry.Private[TimeEntryRecord]

    @strawberry.field(description="Whose time this is.")
    async def person(self, info: strawberry.Info[Context, None]) -> PersonRef | None:
        from schema.person import load_person

        return await load_person(info.context, self.record.platform, self.record.person_id)

    @strawberry.field(
        description="The day the time counts for (Clockify: the start's day in the person's "
        "time zone)."
    )
    def date(self) -> dt.date:
        return self.record.date

    @strawberry.field(
        description="When tracking started, with offset; null when not tracked as a time period."
    )
    def started_at(self) -> dt.datetime | None:
        return self.record.started_at

    @strawberry.field(
        description="When tracking ended, with offset; null while running or when "
        "not tracked as a time period."
    )
    def ended_at(self) -> dt.datetime | None:
        return self.record.ended_at

    @strawberry.field(
        description="Duration in whole minutes (seconds rounded down); null while running."
    )
    def duration_minutes(self) -> int | None:
        seconds = self.record.duration_seconds
        return None if seconds is None else seconds // 60

    @strawberry.field(description="Duration in seconds; null while running.")
    def duration_seconds(self) -> int | None:
        return self.record.duration_seconds

    @strawberry.field(description="Whether any of the time is billable.")
    def billable(self) -> bool:
        return self.record.billable

    @strawberry.field(description="Billable time in whole minutes; null while running.")
    def billable_minutes(self) -> int | None:
        seconds = self.record.billable_seconds
        return None if seconds is None else seconds // 60

    @strawberry.field(description="The note (Productive) or description (Clockify).")
    def note(self) -> str | None:
        return self.record.note

    @strawberry.field(description="The project; on Productive, the project of the service's deal.")
    @reads_context_only
    def project(self, info: strawberry.Info[Context, None]) -> Project | None:
        # Usually loaded with the entries: resolved at once, and awaited (graphql-core takes
        # an awaitable from a plain resolver) only when it is not.
        found = project_now(info.context, self.record)
        return cast("Project | None", found)

    @strawberry.field(description="The task, where one is set.")
    @reads_context_only
    def task(self, info: strawberry.Info[Context, None]) -> Task | None:
        found = task_now(info.context, self.record)
        return cast("Task | None", found)

    @strawberry.field(
        description="The Productive service the time is tracked on; null on Clockify."
    )
    async def service(self, info: strawberry.Info[Context, None]) -> Service | None:
        if self.record.platform is not Platform.PRODUCTIVE or not self.record.service_id:
            return None
        record = await info.context.loaders.services.load(self.record.service_id)
        return Service(record=record) if record else None

    @strawberry.field(description="Clockify tags; null on Productive, which has none.")
    async def tags(self, info: strawberry.Info[Context, None]) -> list[Tag] | None:
        if self.record.platform is not Platform.CLOCKIFY:
            return None
        out = []
        for tag_id in self.record.tag_ids:
            record = await info.context.loaders.tag(tag_id)
            if record is not None:
                out.append(Tag(record=record))
        return out

    @strawberry.field(
        description="What the entry records: work, a break, a holiday or time off (Clockify's "
        "`type`). Every Productive entry is REGULAR. Sum only REGULAR entries as work."
    )
    def type(self) -> TimeEntryType:
        return TimeEntryType(self.record.entry_type)

    @strawberry.field(description="Whether a timer is running on this entry now.")
    def running(self) -> bool:
        return self.record.running

    @strawberry.field(description="Approval state in the unified set.")
    def approval_status(self) -> ApprovalStatus:
        return ApprovalStatus.of(self.record.approval_state)

    @strawberry.field(
        description="The platform's own approval value: Productive approved, rejected, "
        "submitted or unapproved; Clockify the covering approval request's state, or "
        "NOT_SUBMITTED."
    )
    def upstream_approval_status(self) -> str:
        return self.record.approval_state_raw

    @strawberry.field(
        description="Who approved it (Clockify: who approved the covering approval request)."
    )
    async def approved_by(self, info: strawberry.Info[Context, None]) -> PersonRef | None:
        from schema.person import load_person

        return await load_person(info.context, self.record.platform, self.record.approved_by_id)

    @strawberry.field(description="When it was approved.")
    def approved_at(self) -> dt.datetime | None:
        return self.record.approved_at

    @strawberry.field(
        description="Who rejected it (Clockify: who rejected the covering approval request)."
    )
    async def rejected_by(self, info: strawberry.Info[Context, None]) -> PersonRef | None:
        from schema.person import load_person

        return await load_person(info.context, self.record.platform, self.record.rejected_by_id)

    @strawberry.field(description="When it was rejected.")
    def rejected_at(self) -> dt.datetime | None:
        return self.record.rejected_at

    @strawberry.field(description="Why it was rejected, where a reason was given.")
    def rejection_reason(self) -> str | None:
        return self.record.rejection_reason

    @strawberry.field(
        description="Whether the platform refuses edits (approved, submitted or invoiced time)."
    )
    def locked(self) -> bool:
        return self.record.locked

    @strawberry.field(description="When the entry was created (Productive).")
    def created_at(self) -> dt.datetime | None:
        return self.record.created_at

    @strawberry.field(
        description="When the entry last changed (Productive; null on Clockify, whose entries "
        "carry no update time)."
    )
    def updated_at(self) -> dt.datetime | None:
        return self.record.updated_at
