"""`Subscription`: timers started and stopped, time entries created, updated and deleted, as
they happen through the gateway (and, once webhooks arrive, upstream).

A subscriber receives the changes of the tenants its credentials belong to, filtered by
platform and person, and loads each object with those credentials: what it may not read never
reaches it. Each change is resolved with fresh adapters and loaders (a connection lives for
hours; a request's deadline and caches do not).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator
from enum import Enum
from typing import Annotated

import strawberry

from adapters.base import Platform
from adapters.errors import AdapterError
from schema.approval import Approval
from schema.context import Context
from schema.enums import ApprovalStatus, PlatformName
from schema.events import Change, EventBus
from schema.ids import encode
from schema.nodes import resolve_node
from schema.time_entry import TimeEntry
from schema.timer import Timer
from schema.timer_polls import TimerPolls


@strawberry.enum(description="What happened to a timer.")
class TimerChangeKind(Enum):
    STARTED = strawberry.enum_value("STARTED", description="The timer started running.")
    STOPPED = strawberry.enum_value("STOPPED", description="The timer stopped.")


@strawberry.enum(description="What happened to a time entry.")
class TimeEntryChangeKind(Enum):
    CREATED = strawberry.enum_value("CREATED", description="The entry was created.")
    UPDATED = strawberry.enum_value("UPDATED", description="The entry changed.")
    DELETED = strawberry.enum_value(
        "DELETED", description="The entry was deleted: only its ID remains, to drop it."
    )


@strawberry.input(description="Which changes to receive; every field narrows them.")
class ChangeFilter:
    platforms: list[PlatformName] | None = strawberry.field(
        default=None, description="Only these platforms (default: all configured)."
    )
    person_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Only changes of these people (Person IDs)."
    )
    mine: bool = strawberry.field(
        default=False,
        description="Only changes of the viewer: the accounts the subscription's credentials "
        "belong to (with `personIds`, those of them that are the viewer's).",
    )


@strawberry.type(description="A timer started or stopped.")
class TimerChange:
    kind: TimerChangeKind = strawberry.field(description="Started or stopped.")
    timer_id: strawberry.ID = strawberry.field(description="The timer's ID.")
    timer: Timer = strawberry.field(description="The timer as it is now.")


@strawberry.type(description="A time entry created, updated or deleted.")
class TimeEntryChange:
    kind: TimeEntryChangeKind = strawberry.field(description="Created, updated or deleted.")
    time_entry_id: strawberry.ID = strawberry.field(description="The entry's ID.")
    time_entry: TimeEntry | None = strawberry.field(
        description="The entry as it is now; null when it was deleted."
    )


async def _changes(
    ctx: Context, topic: str, flt: ChangeFilter | None
) -> AsyncGenerator[Change, None]:
    bus: EventBus | None = ctx.services.get("events")
    if bus is None:
        return
    tenants = {adapter.tenant() for adapter in ctx.adapters()}
    platforms = {p.domain.value for p in flt.platforms} if flt and flt.platforms else None
    people = {str(p) for p in flt.person_ids} if flt and flt.person_ids else None
    if flt is not None and flt.mine:
        own = await _viewer_ids(ctx)
        people = own if people is None else people & own
    async with bus.subscribe() as queue:
        while True:
            change = await queue.get()
            if (
                change.topic == topic
                and change.tenant in tenants
                and (platforms is None or change.platform in platforms)
                and (people is None or change.person_id in people)
            ):
                ctx.renew()
                yield change


async def _viewer_ids(ctx: Context) -> set[str]:
    """The Person IDs of the accounts behind the credentials: Productive's from its configured
    person id, Clockify's from its current user (an account that cannot say is left out)."""
    own: set[str] = set()
    for adapter in ctx.adapters():
        configured = getattr(adapter, "person_id", None)  # Productive: no lookup needed
        if adapter.platform is Platform.PRODUCTIVE:
            if configured:
                own.add(encode("Person", Platform.PRODUCTIVE, str(configured)))
            continue
        try:
            record = await adapter.viewer()
        except AdapterError:
            continue
        own.add(encode("Person", record.platform, record.remote_id))
    return own


@strawberry.type(description="An approval submitted, decided or withdrawn.")
class ApprovalChange:
    status: ApprovalStatus = strawberry.field(description="Where it stands now.")
    approval_id: strawberry.ID = strawberry.field(description="The approval's ID.")
    approval: Approval | None = strawberry.field(
        description="The approval as it is now; null when these credentials cannot read it."
    )


@strawberry.type(
    description="Changes as they happen: over WebSocket (graphql-transport-ws), or over HTTP "
    "as multipart/mixed or text/event-stream."
)
class Subscription:
    @strawberry.subscription(description="Timers starting and stopping.")
    async def timer_changed(
        self,
        info: strawberry.Info[Context, None],
        filter: Annotated[  # noqa: A002
            ChangeFilter | None, strawberry.argument(description="Which timers.")
        ] = None,
    ) -> AsyncGenerator[TimerChange, None]:
        ctx = info.context
        polls: TimerPolls | None = ctx.services.get("timer_polls")
        renew = ctx.services.get("renew")
        # Productive has no timer webhooks: while this runs, its timers are polled (one poll
        # for every subscriber with these credentials).
        watching = (
            polls.watching(ctx.scope, renew)
            if polls is not None and renew is not None and ctx.productive is not None
            else contextlib.nullcontext()
        )
        async with watching:
            async for change in _changes(ctx, "timer", filter):
                try:
                    timer = await resolve_node(ctx, change.object_id, "timerId")
                except AdapterError:
                    continue  # these credentials may not read it (or upstream is down)
                if isinstance(timer, Timer):
                    yield TimerChange(
                        kind=TimerChangeKind(change.kind),
                        timer_id=strawberry.ID(change.object_id),
                        timer=timer,
                    )

    @strawberry.subscription(description="Time entries created, updated and deleted.")
    async def time_entry_changed(
        self,
        info: strawberry.Info[Context, None],
        filter: Annotated[  # noqa: A002
            ChangeFilter | None, strawberry.argument(description="Which entries.")
        ] = None,
    ) -> AsyncGenerator[TimeEntryChange, None]:
        async for change in _changes(info.context, "time_entry", filter):
            entry: TimeEntry | None = None
            if change.kind != "DELETED":
                try:
                    found = await resolve_node(info.context, change.object_id, "timeEntryId")
                except AdapterError:
                    continue
                if not isinstance(found, TimeEntry):
                    continue
                entry = found
            yield TimeEntryChange(
                kind=TimeEntryChangeKind(change.kind),
                time_entry_id=strawberry.ID(change.object_id),
                time_entry=entry,
            )

    @strawberry.subscription(
        description="Approvals submitted, approved, rejected or withdrawn: through the gateway, "
        "and on Clockify through its approval and time-off webhooks."
    )
    async def approval_changed(
        self,
        info: strawberry.Info[Context, None],
        filter: Annotated[  # noqa: A002
            ChangeFilter | None, strawberry.argument(description="Which approvals.")
        ] = None,
    ) -> AsyncGenerator[ApprovalChange, None]:
        async for change in _changes(info.context, "approval", filter):
            try:
                found = await resolve_node(info.context, change.object_id, "approvalId")
            except AdapterError:
                continue
            yield ApprovalChange(
                status=ApprovalStatus(change.kind.lower()),
                approval_id=strawberry.ID(change.object_id),
                approval=found if isinstance(found, Approval) else None,
            )
