"""`timers`: timer history on both platforms, running and stopped, newest first. A Productive
timer is its `timers` resource; on Clockify a timer's history is its time entries."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry

from adapters.base import Platform, TimerRecord
from schema.arguments import After, Before, First, Last
from schema.connections import Connection, fingerprint, offset_connection
from schema.context import Context
from schema.enums import PlatformName
from schema.errors import bad_input
from schema.filters import people_by_platform, platforms_of
from schema.timer import Timer
from schema.viewer import gather_platforms


@strawberry.input(description="Which timers to return.")
class TimerHistoryFilter:
    platforms: list[PlatformName] | None = strawberry.field(
        default=None, description="Only these platforms (default: every configured one)."
    )
    person_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only timers of these people (Person IDs)."
    )
    started_after: dt.datetime | None = strawberry.field(
        default=None, description="Only timers started at or after this instant."
    )
    started_before: dt.datetime | None = strawberry.field(
        default=None, description="Only timers started before this instant."
    )
    running: bool | None = strawberry.field(
        default=None, description="Only running (true) or only stopped (false) timers."
    )


TimerHistoryFilterArg = Annotated[
    TimerHistoryFilter | None, strawberry.argument(description="Which timers to return.")
]


def _checked(flt: TimerHistoryFilter) -> None:
    for name, moment in (
        ("startedAfter", flt.started_after),
        ("startedBefore", flt.started_before),
    ):
        if moment is not None and moment.tzinfo is None:
            raise bad_input(f"filter.{name}", "needs a UTC offset, e.g. 2026-11-16T00:00:00Z")
    if flt.started_after and flt.started_before and flt.started_before <= flt.started_after:
        raise bad_input("filter.startedBefore", "is not after startedAfter")


@strawberry.type
class TimerHistoryQuery:
    @strawberry.field(
        description="Timers, running and stopped, newest first. Productive lists its timers; "
        "on Clockify a timer's history is its time entries (without `startedAfter`, the last "
        "366 days)."
    )
    async def timers(
        self,
        info: strawberry.Info[Context, None],
        filter: TimerHistoryFilterArg = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Timer]:
        ctx = info.context
        flt = filter or TimerHistoryFilter()
        _checked(flt)
        platforms = platforms_of(flt.platforms, ctx.configured())
        people = people_by_platform(flt.person_ids, "filter.personIds")

        async def read(platform: Platform) -> list[TimerRecord]:
            ids = None if people is None else list(people.get(platform, ()))
            if ids == []:
                return []
            adapter: Any = ctx.adapter(platform)
            timers, entries = await adapter.timer_history(
                ids, flt.started_after, flt.started_before
            )
            ctx.loaders.prime(entries)
            found: list[TimerRecord] = timers
            return found

        records = await gather_platforms(ctx, info, platforms, read)
        if flt.running is not None:
            records = [r for r in records if (r.stopped_at is None) == flt.running]
        records.sort(key=lambda r: (r.started_at, r.platform.value, r.remote_id), reverse=True)
        key = fingerprint(
            "timers",
            None if people is None else {p.value: v for p, v in people.items()},
            flt.started_after,
            flt.started_before,
            flt.running,
            [p.value for p in platforms],
        )
        nodes = [Timer(record=r) for r in records]
        return offset_connection(nodes, first, after, key, last=last, before=before)
