"""What a mutation that went through tells subscribers: the timers it started or stopped, the
time entries it created, updated or deleted, and the approvals it decided, submitted or
withdrew, as changes on the event bus.

Published once, when the work ran and succeeded; a replayed idempotent answer changed
nothing upstream, so it publishes nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from adapters.base import Platform
from schema.context import Context
from schema.events import Change, EventBus, approval_key, once_key
from schema.ids import decode, encode
from schema.mutations.common import Outcome

# (mutation, payload object) -> (topic, kind)
CHANGES = {
    ("startTimer", "timer"): ("timer", "STARTED"),
    ("switchTimer", "timer"): ("timer", "STARTED"),
    ("startTimer", "stopped_timer"): ("timer", "STOPPED"),
    ("switchTimer", "stopped_timer"): ("timer", "STOPPED"),
    ("startTimer", "stopped_elsewhere"): ("timer", "STOPPED"),
    ("switchTimer", "stopped_elsewhere"): ("timer", "STOPPED"),
    ("stopTimer", "timer"): ("timer", "STOPPED"),
    ("stopTimer", "time_entry"): ("time_entry", "UPDATED"),
    ("createTimeEntry", "time_entry"): ("time_entry", "CREATED"),
    ("updateTimeEntry", "time_entry"): ("time_entry", "UPDATED"),
}


APPROVAL_MUTATIONS = frozenset(
    {"approve", "reject", "withdraw", "submitForApproval", "requestTimeOff"}
)


def publishing(
    ctx: Context, mutation: str, work: Callable[[], Awaitable[Outcome]]
) -> Callable[[], Awaitable[Outcome]]:
    """The mutation's work, followed by publishing what it changed."""

    async def run() -> Outcome:
        outcome = await work()
        bus: EventBus | None = ctx.services.get("events")
        # Objects are what the work did, problems or not (a start stands when the stop on the
        # other platform failed).
        if bus is not None:
            for change in changes_of(ctx, mutation, outcome):
                await bus.publish(change)
        return outcome

    return run


def changes_of(ctx: Context, mutation: str, outcome: Outcome) -> list[Change]:
    found = []
    for name, value in outcome.objects.items():
        what = CHANGES.get((mutation, name))
        if what is not None and value is not None:
            record: Any = value.record
            person = record.person_id
            found.append(
                _change(ctx, what, record.platform, value.global_id(), person and str(person))
            )
    if mutation in APPROVAL_MUTATIONS:
        requested = outcome.objects.get("approval")  # requestTimeOff's one request
        for approval in [
            *(outcome.objects.get("approvals") or []),
            *([requested] if requested else []),
        ]:
            decided: Any = approval.record
            what = ("approval", decided.state.value.upper())
            change = _change(
                ctx, what, decided.platform, approval.global_id(), decided.requester_id
            )
            once = approval_key(change.object_id, change.kind, decided.decided_at)
            found.append(replace(change, change_id=once) if once else change)
    deleted = outcome.extra.get("deleted_id")
    if mutation == "deleteTimeEntry" and deleted:
        _, key = decode(str(deleted), "id")
        found.append(_change(ctx, ("time_entry", "DELETED"), key.platform, str(deleted), None))
    return found


def _change(
    ctx: Context, what: tuple[str, str], platform: Platform, object_id: str, person: str | None
) -> Change:
    change = Change(
        topic=what[0],
        kind=what[1],
        platform=platform.value,
        object_id=object_id,
        person_id=encode("Person", platform, person) if person else None,
        tenant=ctx.adapter(platform).tenant(),
    )
    key = once_key(change.topic, change.kind, object_id)
    return replace(change, change_id=key) if key else change
