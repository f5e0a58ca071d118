"""startTimer, stopTimer, switchTimer: one running timer per person, nothing started twice.

Before starting, the person's running timer is read: starting while one runs is a user error
unless the input asks to stop it first. Every start and stop goes through `once`: a lost
answer is looked up upstream (a timer started since the attempt, a timer stopped, an entry
ending at the instant the stop sent), and a retry with the same key finds it there.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from adapters.base import Platform, TimerRecord
from adapters.errors import Conflict, NotFound
from schema.context import Context
from schema.ids import NodeKey
from schema.mutations.attempts import LostWrite
from schema.mutations.common import (
    Outcome,
    Problem,
    Refused,
    UserErrorCode,
    decode_input,
    invalid,
)
from schema.mutations.keyed import perform
from schema.mutations.targets import (
    check_platform,
    clockify_writes,
    person_on,
    productive_writes,
)
from schema.mutations.timer_inputs import start_plan
from schema.mutations.timer_steps import (
    look_start,
    look_stop,
    running_timer,
    send_start,
    send_stop,
    stop_everywhere,
    timer_of,
)
from schema.mutations.timer_types import (
    StartTimerInput,
    StartTimerPayload,
    StopTimerInput,
    StopTimerPayload,
    SwitchTimerInput,
    SwitchTimerPayload,
    TimerStartFields,
)
from schema.time_entry import TimeEntry
from schema.timer import Timer


def _not_running(field: str) -> Refused:
    message = "This timer is not running" if field == "timerId" else "No timer is running"
    return Refused(Problem(UserErrorCode.NOT_RUNNING, message, ("input", field)))


async def start_or_switch(ctx: Context, value: TimerStartFields, always_stop: bool) -> Outcome:
    platform = check_platform(value.platform, ctx)
    plan = start_plan(ctx, platform, value)
    person = await person_on(ctx, platform, value.person_id)
    attempt = ctx.attempt
    # A retry first asks whether the earlier start landed: then the timer running now is the
    # one this request started, and must not be stopped as "the running one".
    earlier_stop = attempt.earlier("stop")
    started = await attempt.landed(
        "start", lambda intent: look_start(ctx, platform, person, intent)
    )
    if started is not None:
        stopped = await look_stop(ctx, platform, earlier_stop) if earlier_stop else None
        ctx.loaders.forget_tracking(platform)
        return await _started(ctx, platform, person, value, started, stopped)
    running = await running_timer(ctx, platform, person)
    stopped = None
    if running is None and earlier_stop is not None:
        stopped = await attempt.landed("stop", lambda i: look_stop(ctx, platform, i))
    elif running is not None:
        if not (getattr(value, "stop_running", False) or always_stop):
            raise Refused(
                Problem(
                    UserErrorCode.ALREADY_RUNNING,
                    f"A timer is already running since {running.started_at.isoformat()}; "
                    "set stopRunning to stop it first",
                    ("input", "stopRunning"),
                )
            )
        stopped = await send_stop(ctx, platform, person, running.remote_id)
    try:
        started = await send_start(ctx, platform, person, plan)
    except LostWrite as lost:
        lost.objects = {"stopped_timer": timer_of(stopped)}
        raise
    finally:
        ctx.loaders.forget_tracking(platform)
    return await _started(ctx, platform, person, value, started, stopped)


async def _started(
    ctx: Context,
    platform: Platform,
    person: str,
    value: TimerStartFields,
    started: TimerRecord,
    stopped: TimerRecord | None,
) -> Outcome:
    """What a start reports, once the same human's timer elsewhere is stopped if asked."""
    elsewhere = await stop_everywhere(ctx, platform, person, value)
    return Outcome(
        objects={
            "timer": timer_of(started),
            "stopped_timer": timer_of(stopped),
            "stopped_elsewhere": timer_of(elsewhere),
        }
    )


async def stop(ctx: Context, value: StopTimerInput) -> Outcome:
    if value.timer_id is not None and value.person_id is not None:
        raise invalid(("timerId",), "give either `timerId` or `personId`, not both")
    timer_key = decode_input(value.timer_id, ("timerId",), "Timer") if value.timer_id else None
    if timer_key is not None:
        platform = timer_key.platform
    elif value.person_id is not None:
        platform = decode_input(value.person_id, ("personId",), "Person").platform
    elif value.platform is not None:
        platform = value.platform.domain
    else:
        raise invalid(("timerId",), "give `timerId`, `personId` or `platform`")
    ctx.adapter(platform)
    # A retry whose earlier stop landed finds nothing running: ask for that stop first.
    record = await ctx.attempt.landed("stop", lambda i: look_stop(ctx, platform, i))
    if record is None:
        record = await _stop_target(ctx, platform, timer_key, value)
    ctx.loaders.forget_tracking(platform)
    entry_record = None
    if record.time_entry_id:
        if platform is Platform.PRODUCTIVE:
            entries = await productive_writes(ctx).reread_entries([record.time_entry_id])
            entry_record = entries[0]
        else:
            entry_record = await ctx.loaders.entries[platform].load(record.time_entry_id)
    return Outcome(
        objects={
            "timer": Timer(record=record),
            "time_entry": TimeEntry(record=entry_record) if entry_record else None,
        }
    )


async def _stop_target(
    ctx: Context, platform: Platform, timer_key: NodeKey | None, value: StopTimerInput
) -> TimerRecord:
    if timer_key is not None:
        if platform is Platform.PRODUCTIVE:
            try:
                return await send_stop(ctx, platform, "", timer_key.remote_id)
            except Conflict:
                raise _not_running("timerId") from None
        raw = await clockify_writes(ctx).raw_entry(timer_key.remote_id)
        if (raw.get("timeInterval") or {}).get("end"):
            raise _not_running("timerId")
        return await send_stop(ctx, platform, str(raw["userId"]))
    person = await person_on(ctx, platform, value.person_id)
    if platform is Platform.PRODUCTIVE:
        running = await running_timer(ctx, platform, person)
        if running is None:
            raise _not_running("personId")
        return await send_stop(ctx, platform, person, running.remote_id)
    try:
        return await send_stop(ctx, platform, person)
    except NotFound:
        raise _not_running("personId") from None


@strawberry.type
class TimerMutations:
    @strawberry.mutation(description="Start a timer for a person (default: the viewer).")
    async def start_timer(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            StartTimerInput,
            SwitchTimerInput,
            TimerStartFields,
            strawberry.argument(
                description="What to start, for whom, and whether to stop a running timer first."
            ),
        ],
    ) -> StartTimerPayload:
        outcome = await perform(info, input, lambda: start_or_switch(info.context, input, False))
        return StartTimerPayload(
            timer=outcome.objects.get("timer"),
            stopped_timer=outcome.objects.get("stopped_timer"),
            stopped_elsewhere=outcome.objects.get("stopped_elsewhere"),
            user_errors=outcome.errors(),
        )

    @strawberry.mutation(description="Stop a running timer.")
    async def stop_timer(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[StopTimerInput, strawberry.argument(description="Which timer to stop.")],
    ) -> StopTimerPayload:
        outcome = await perform(info, input, lambda: stop(info.context, input))
        return StopTimerPayload(
            timer=outcome.objects.get("timer"),
            time_entry=outcome.objects.get("time_entry"),
            user_errors=outcome.errors(),
        )

    @strawberry.mutation(
        description="Stop whatever runs for the person on that platform, then "
        "start a new timer; reports both."
    )
    async def switch_timer(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            SwitchTimerInput,
            strawberry.argument(description="What to start, and for whom."),
        ],
    ) -> SwitchTimerPayload:
        outcome = await perform(info, input, lambda: start_or_switch(info.context, input, True))
        return SwitchTimerPayload(
            stopped_timer=outcome.objects.get("stopped_timer"),
            timer=outcome.objects.get("timer"),
            stopped_elsewhere=outcome.objects.get("stopped_elsewhere"),
            user_errors=outcome.errors(),
        )
