"""startTimer, stopTimer, switchTimer: one running timer per person, nothing started twice.

Before starting, the person's running timer is read: starting while one runs is a user error
unless the input asks to stop it first. A start whose answer is lost is not retried; the
running timer is looked up and reported with UNKNOWN_OUTCOME.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import strawberry

from adapters.base import Platform, TimerRecord
from adapters.clockify import translate as clockify_translate
from adapters.errors import Conflict, NotFound, UnknownOutcome
from schema.context import Context
from schema.mutations.common import (
    Outcome,
    Problem,
    Refused,
    UserErrorCode,
    decode_input,
    invalid,
    perform,
)
from schema.mutations.targets import (
    check_platform,
    clockify_writes,
    person_on,
    productive_writes,
    unsupported,
)
from schema.mutations.timer_types import (
    StartTimerInput,
    StartTimerPayload,
    StopTimerInput,
    StopTimerPayload,
    SwitchTimerPayload,
)
from schema.time_entry import TimeEntry
from schema.timer import Timer


def _timer(record: TimerRecord | None) -> Timer | None:
    return Timer(record=record) if record else None


async def _running(ctx: Context, platform: Platform, person: str) -> TimerRecord | None:
    timers = await ctx.loaders.running_timers(platform, [person])
    return timers[0] if timers else None


async def _stop(ctx: Context, platform: Platform, person: str, running: TimerRecord) -> TimerRecord:
    if platform is Platform.PRODUCTIVE:
        return await productive_writes(ctx).stop_timer(running.remote_id)
    entry = await clockify_writes(ctx).stop(person, datetime.now(UTC))
    ctx.loaders.prime([entry])
    return clockify_translate.timer(entry)


def _start_plan(ctx: Context, platform: Platform, value: StartTimerInput) -> dict[str, Any]:
    """Validate platform-specific inputs into what the start request needs."""
    if platform is Platform.PRODUCTIVE:
        unsupported(
            platform,
            project=value.project,
            task=value.task,
            tags=value.tags,
            description=value.description,
            billable=value.billable,
        )
        if (value.service is None) == (value.time_entry is None):
            raise invalid(("service",), "give either `service` or `timeEntry` on Productive")
        plan: dict[str, Any] = {}
        if value.service is not None:
            key = decode_input(value.service, ("service",), "Service")
            plan["service"] = key.remote_id
        if value.time_entry is not None:
            key = decode_input(value.time_entry, ("timeEntry",), "TimeEntry")
            if key.platform is not platform:
                raise invalid(("timeEntry",), "this time entry is not on Productive")
            plan["entry"] = key.remote_id
        return plan
    unsupported(platform, service=value.service, timeEntry=value.time_entry)
    body: dict[str, Any] = {}
    if value.project is not None:
        key = decode_input(value.project, ("project",), "Project")
        if key.platform is not platform:
            raise invalid(("project",), "this project is not on Clockify")
        body["projectId"] = key.remote_id
    if value.task is not None:
        if value.project is None:
            raise invalid(("task",), "a Clockify task needs its `project`")
        key = decode_input(value.task, ("task",), "Task")
        project_id, _, task_id = key.remote_id.rpartition("/")
        if project_id != body["projectId"]:
            raise invalid(("task",), "this task belongs to another project")
        body["taskId"] = task_id
    if value.tags:
        body["tagIds"] = [decode_input(t, ("tags",), "Tag").remote_id for t in value.tags]
    if value.description is not None:
        body["description"] = value.description
    if value.billable is not None:
        body["billable"] = value.billable
    return body


async def _start(
    ctx: Context, platform: Platform, person: str, plan: dict[str, Any]
) -> TimerRecord:
    sent_at = datetime.now(UTC)
    try:
        if platform is Platform.PRODUCTIVE:
            return await productive_writes(ctx).start_timer(
                person, plan.get("service"), plan.get("entry")
            )
        entry = await clockify_writes(ctx).create_entry(
            person, False, {**plan, "start": sent_at.strftime("%Y-%m-%dT%H:%M:%SZ")}
        )
        ctx.loaders.prime([entry])
        return clockify_translate.timer(entry)
    except UnknownOutcome:
        # The start may have landed: look before reporting, never send it again.
        found = await _fresh_running(ctx, platform, person)
        if found is not None and found.started_at >= sent_at - timedelta(seconds=5):
            raise _Lost(
                found,
                f"The start was sent but its answer was lost; a timer is "
                f"running since {found.started_at.isoformat()}",
            ) from None
        raise _Lost(
            None,
            "The start was sent but its answer was lost; no timer is running, so it did not land",
        ) from None


async def _fresh_running(ctx: Context, platform: Platform, person: str) -> TimerRecord | None:
    if platform is Platform.PRODUCTIVE:
        timers = await ctx.adapter(platform).running_timers([person])
        return timers[0] if timers else None
    entry = await clockify_writes(ctx).running_entry(person)
    return clockify_translate.timer(entry) if entry else None


def _not_running(field: str) -> Refused:
    message = "This timer is not running" if field == "timer" else "No timer is running"
    return Refused(Problem(UserErrorCode.NOT_RUNNING, message, ("input", field)))


class _Lost(Exception):
    def __init__(self, timer: TimerRecord | None, message: str) -> None:
        super().__init__(message)
        self.timer = timer
        self.message = message


async def start_or_switch(ctx: Context, value: StartTimerInput, always_stop: bool) -> Outcome:
    platform = check_platform(value.platform, ctx)
    plan = _start_plan(ctx, platform, value)
    person = await person_on(ctx, platform, value.person)
    running = await _running(ctx, platform, person)
    stopped = None
    if running is not None:
        if not (value.stop_running or always_stop):
            raise Refused(
                Problem(
                    UserErrorCode.ALREADY_RUNNING,
                    f"A timer is already running since {running.started_at.isoformat()}; "
                    "set stopRunning to stop it first",
                    ("input", "stopRunning"),
                )
            )
        stopped = await _stop(ctx, platform, person, running)
    try:
        started = await _start(ctx, platform, person, plan)
    except _Lost as lost:
        return Outcome(
            objects={"timer": _timer(lost.timer), "stopped_timer": _timer(stopped)},
            problems=[Problem(UserErrorCode.UNKNOWN_OUTCOME, lost.message)],
        )
    return Outcome(objects={"timer": _timer(started), "stopped_timer": _timer(stopped)})


async def stop(ctx: Context, value: StopTimerInput) -> Outcome:
    if value.timer is not None and value.person is not None:
        raise invalid(("timer",), "give either `timer` or `person`, not both")
    if value.timer is not None:
        key = decode_input(value.timer, ("timer",), "Timer")
        platform = key.platform
        ctx.adapter(platform)
        if platform is Platform.PRODUCTIVE:
            try:
                record = await productive_writes(ctx).stop_timer(key.remote_id)
            except Conflict:
                raise _not_running("timer") from None
        else:
            raw = await clockify_writes(ctx).raw_entry(key.remote_id)
            if (raw.get("timeInterval") or {}).get("end"):
                raise _not_running("timer")
            record = await _stop(
                ctx,
                platform,
                str(raw["userId"]),
                clockify_translate.timer(clockify_translate.time_entry(raw, None)),
            )
    else:
        if value.person is not None:
            platform = decode_input(value.person, ("person",), "Person").platform
        elif value.platform is not None:
            platform = value.platform.domain
        else:
            raise invalid(("timer",), "give `timer`, `person` or `platform`")
        ctx.adapter(platform)
        person = await person_on(ctx, platform, value.person)
        if platform is Platform.PRODUCTIVE:
            running = await _running(ctx, platform, person)
            if running is None:
                raise _not_running("person")
            record = await _stop(ctx, platform, person, running)
        else:
            try:
                entry = await clockify_writes(ctx).stop(person, datetime.now(UTC))
            except NotFound:
                raise _not_running("person") from None
            ctx.loaders.prime([entry])
            record = clockify_translate.timer(entry)
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


@strawberry.type
class TimerMutations:
    @strawberry.mutation(description="Start a timer for a person (default: the viewer).")
    async def start_timer(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            StartTimerInput,
            strawberry.argument(
                description="What to start, for whom, and whether to stop a running timer first."
            ),
        ],
    ) -> StartTimerPayload:
        outcome = await perform(info, input, lambda: start_or_switch(info.context, input, False))
        return StartTimerPayload(
            timer=outcome.objects.get("timer"),
            stopped_timer=outcome.objects.get("stopped_timer"),
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
            StartTimerInput,
            strawberry.argument(
                description="What to start, for whom, and whether to stop a running timer first."
            ),
        ],
    ) -> SwitchTimerPayload:
        outcome = await perform(info, input, lambda: start_or_switch(info.context, input, True))
        return SwitchTimerPayload(
            stopped_timer=outcome.objects.get("stopped_timer"),
            timer=outcome.objects.get("timer"),
            user_errors=outcome.errors(),
        )
