"""The steps of the timer mutations: read what runs, start, stop (each once per key, found
upstream again when an answer was lost), and "one timer per human": the stop of the same
person's timer on the other platform."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from adapters.base import Platform, TimeEntryRecord, TimerRecord
from adapters.clockify import translate as clockify_translate
from adapters.clockify.verify import ClockifyVerify
from adapters.clockify.writes import z
from adapters.errors import AdapterError
from adapters.productive.verify import ProductiveVerify
from schema.context import Context
from schema.errors import from_adapter
from schema.mutations.attempts import Intent, once
from schema.mutations.targets import clockify_writes, productive_writes
from schema.mutations.timer_types import TimerStartFields
from schema.timer import Timer


def timer_of(record: TimerRecord | None) -> Timer | None:
    return Timer(record=record) if record else None


async def running_timer(ctx: Context, platform: Platform, person: str) -> TimerRecord | None:
    timers = await ctx.loaders.running_timers(platform, [person])
    return timers[0] if timers else None


def _clockify_timer(ctx: Context, entry: TimeEntryRecord) -> TimerRecord:
    ctx.loaders.prime([entry])
    return clockify_translate.timer(entry)


async def look_stop(ctx: Context, platform: Platform, intent: Intent) -> TimerRecord | None:
    if platform is Platform.PRODUCTIVE:
        return await ProductiveVerify(productive_writes(ctx)).stopped_timer(intent["timer"])
    entry = await ClockifyVerify(clockify_writes(ctx)).stopped_at(intent["person"], intent["end"])
    return _clockify_timer(ctx, entry) if entry else None


async def send_stop(
    ctx: Context, platform: Platform, person: str, timer_id: str | None = None, step: str = "stop"
) -> TimerRecord:
    """Stop the running timer (Productive: that timer; Clockify: whatever runs for the
    person), once per key: a retry finds the stop that landed."""

    async def look(intent: Intent) -> TimerRecord | None:
        return await look_stop(ctx, platform, intent)

    if platform is Platform.PRODUCTIVE:

        async def send_p(intent: Intent) -> TimerRecord:
            return await productive_writes(ctx).stop_timer(intent["timer"])

        return await once(ctx.attempt, step, {"timer": timer_id}, look, send_p)

    async def send_c(intent: Intent) -> TimerRecord:
        entry = await clockify_writes(ctx).stop(intent["person"], _instant(intent["end"]))
        return _clockify_timer(ctx, entry)

    end = z(datetime.now(UTC))
    return await once(ctx.attempt, step, {"person": person, "end": end}, look, send_c)


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def look_start(
    ctx: Context, platform: Platform, person: str, intent: Intent
) -> TimerRecord | None:
    if platform is Platform.PRODUCTIVE:
        verify = ProductiveVerify(productive_writes(ctx))
        return await verify.started_timer(person, intent["plan"].get("entry"), intent["at"])
    entry = await ClockifyVerify(clockify_writes(ctx)).created_entry(person, intent["body"])
    return _clockify_timer(ctx, entry) if entry else None


async def send_start(
    ctx: Context, platform: Platform, person: str, plan: dict[str, Any]
) -> TimerRecord:
    async def look(intent: Intent) -> TimerRecord | None:
        return await look_start(ctx, platform, person, intent)

    if platform is Platform.PRODUCTIVE:

        async def send_p(intent: Intent) -> TimerRecord:
            return await productive_writes(ctx).start_timer(
                person, plan.get("service"), plan.get("entry")
            )

        return await once(ctx.attempt, "start", {"plan": plan}, look, send_p)

    async def send_c(intent: Intent) -> TimerRecord:
        entry = await clockify_writes(ctx).create_entry(person, False, intent["body"])
        return _clockify_timer(ctx, entry)

    body = {**plan, "start": z(datetime.now(UTC))}
    return await once(ctx.attempt, "start", {"body": body}, look, send_c)


async def stop_everywhere(
    ctx: Context, platform: Platform, person: str, value: TimerStartFields
) -> TimerRecord | None:
    """With `stopRunningEverywhere`: stop the same human's timer on the other platform, after
    the start went through (the start is what was asked; the other stop follows). Once per
    key like every write; when the other platform fails, the start still stands and the
    failure is reported beside the payload."""
    if not value.stop_running_everywhere:
        return None
    others = [p for p in ctx.configured() if p is not platform]
    if not others:
        return None
    other = others[0]
    try:
        earlier = await ctx.attempt.landed("stop_elsewhere", lambda i: look_stop(ctx, other, i))
        if earlier is not None:
            return earlier
        me = await ctx.loaders.people[platform].load(person)
        email = ((me.email if me else None) or "").lower()
        if not email:
            return None
        everyone = await ctx.loaders.everyone[other].get()
        twin = next((p for p in everyone if (p.email or "").lower() == email), None)
        if twin is None:
            return None
        running = await running_timer(ctx, other, str(twin.remote_id))
        if running is None:
            return None
        stopped = await send_stop(
            ctx, other, str(twin.remote_id), running.remote_id, step="stop_elsewhere"
        )
    except AdapterError as error:
        ctx.partial_errors.append(from_adapter(error))
        return None
    ctx.loaders.forget_tracking(other)
    return stopped
