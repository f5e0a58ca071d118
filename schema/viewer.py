"""The viewer (who the request's credentials belong to) and reading each platform side by side,
so one platform's failure is an error beside the other's data."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import strawberry

from adapters.base import Platform, TimerRecord
from adapters.concurrency import gather
from adapters.errors import AdapterError
from schema.approval import Approval
from schema.arguments import (
    After,
    Before,
    EntryFilterArg,
    EntryOrderArg,
    First,
    Last,
)
from schema.connections import Connection
from schema.context import Context
from schema.entry_connections import entries_connection
from schema.enums import PlatformName
from schema.errors import partial
from schema.person import Person
from schema.time_entry import TimeEntry
from schema.timer import Timer

if TYPE_CHECKING:
    from schema.humans.human import Human

T = TypeVar("T")
HumanRef = Annotated["Human", strawberry.lazy("schema.humans.human")]


async def gather_platforms(
    ctx: Context,
    info: strawberry.Info[Context, None],
    platforms: list[Platform],
    read: Callable[[Platform], Awaitable[list[T]]],
) -> list[T]:
    """Read each platform concurrently; a failure becomes an error beside the others' data."""

    async def one(platform: Platform) -> list[T]:
        try:
            ctx.adapter(platform)
            return await read(platform)
        except AdapterError as error:
            ctx.partial_errors.append(partial(error, info.path.as_list()))
            return []

    results = await gather(*(one(p) for p in platforms))
    return [item for chunk in results for item in chunk]


@strawberry.type(description="The accounts behind the credentials of this request.")
class Viewer:
    accounts: list[Person] = strawberry.field(
        description="The authenticated account on each configured platform."
    )

    @strawberry.field(
        description="The viewer's name, from the first account that has one (Productive "
        "first); null when no platform is configured or answered."
    )
    def name(self) -> str | None:
        return next((p.record.name for p in self.accounts if p.record.name), None)

    @strawberry.field(description="The viewer's email, from the first account that has one.")
    def email(self) -> str | None:
        return next((p.record.email for p in self.accounts if p.record.email), None)

    @strawberry.field(description="The viewer's account on one platform; null when it has none.")
    def account(
        self,
        platform: Annotated[PlatformName, strawberry.argument(description="Which platform.")],
    ) -> Person | None:
        return next((p for p in self.accounts if p.record.platform is platform.domain), None)

    @strawberry.field(
        description="The viewer as one human across both tools (their accounts linked by email)."
    )
    async def human(self, info: strawberry.Info[Context, None]) -> HumanRef | None:
        from schema.humans.human import Human
        from schema.humans.linking import human_of
        from schema.humans.reads import all_humans

        everyone = await all_humans(info.context, info)
        for account in self.accounts:
            found = human_of(everyone, account.record.platform, account.record.remote_id)
            if found is not None:
                return Human(record=found)
        return None

    @strawberry.field(description="Timers running for the viewer's accounts.")
    async def running_timers(self, info: strawberry.Info[Context, None]) -> list[Timer]:
        ctx = info.context
        own = {p.record.platform: p.record.remote_id for p in self.accounts}

        async def read(platform: Platform) -> list[TimerRecord]:
            record = await ctx.loaders.running_timer[platform].load(own[platform])
            return [record] if record is not None else []

        records = await gather_platforms(ctx, info, list(own), read)
        return [Timer(record=r) for r in records]

    @strawberry.field(
        description="What waits for the viewer's decision on every configured platform, newest "
        "period first: Productive entries awaiting their approval, and Clockify timesheet and "
        "time-off requests of the people they manage (or whose policy names them)."
    )
    async def approval_inbox(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Approval]:
        from schema.approver_reads import inbox_connection, inbox_records

        own: dict[Platform, tuple[str, ...]] = {
            p.record.platform: (p.record.remote_id,) for p in self.accounts
        }
        records = await inbox_records(info.context, info, own)
        key = sorted((p.value, ids) for p, ids in own.items())
        return inbox_connection(records, first, after, last, before, key)

    @strawberry.field(description="The viewer's time entries on every configured platform.")
    async def time_entries(
        self,
        info: strawberry.Info[Context, None],
        filter: EntryFilterArg = None,
        order_by: EntryOrderArg = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[TimeEntry]:
        own: dict[Platform, tuple[str, ...]] = {
            p.record.platform: (p.record.remote_id,) for p in self.accounts
        }
        return await entries_connection(info, filter, order_by, first, after, last, before, own)
