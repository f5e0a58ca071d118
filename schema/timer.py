"""Timer: a running (or stopped) timer. On Clockify a timer is its running time entry; on
Productive it is the `timers` resource belonging to a time entry."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from adapters.base import TimerRecord
from schema.context import Context
from schema.node import PlatformObject

if TYPE_CHECKING:
    from schema.person import Person
    from schema.time_entry import TimeEntry

PersonRef = Annotated["Person", strawberry.lazy("schema.person")]
TimeEntryRef = Annotated["TimeEntry", strawberry.lazy("schema.time_entry")]


@strawberry.type(description="A timer on a time entry.")
class Timer(PlatformObject):
    record: strawberry.Private[TimerRecord]

    @strawberry.field(description="Whose timer it is.")
    async def person(self, info: strawberry.Info[Context, None]) -> PersonRef | None:
        from schema.person import load_person

        return await load_person(info.context, self.record.platform, self.record.person_id)

    @strawberry.field(description="The time entry the timer tracks into.")
    async def time_entry(self, info: strawberry.Info[Context, None]) -> TimeEntryRef | None:
        from schema.time_entry import TimeEntry

        if self.record.time_entry_id is None:
            return None
        loader = info.context.loaders.entries[self.record.platform]
        record = await loader.load(self.record.time_entry_id)
        return TimeEntry(record=record) if record else None

    @strawberry.field(description="When the timer started, with offset.")
    def started_at(self) -> dt.datetime:
        return self.record.started_at

    @strawberry.field(description="When the timer stopped, with offset; null while running.")
    def ended_at(self) -> dt.datetime | None:
        return self.record.stopped_at

    @strawberry.field(description="Whether the timer is running now.")
    def running(self) -> bool:
        return self.record.stopped_at is None

    @strawberry.field(
        description="Seconds from start to stop, or to now (at response time) while running."
    )
    def elapsed_seconds(self) -> int:
        end = self.record.stopped_at or dt.datetime.now(dt.UTC)
        return max(0, int((end - self.record.started_at).total_seconds()))
