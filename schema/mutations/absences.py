"""requestTimeOff: a time-off request on Clockify, or an absence booked on a Productive event,
for the viewer or (where the credentials may) for someone else, retry-safe like every write.

The request is checked before anything is sent (dates, half days, the policy's platform); what
only upstream knows (the balance left, an overlapping request, the person not on the policy)
comes back as a typed user error naming the field it is about.
"""

from __future__ import annotations

import datetime as dt

from adapters.base import ApprovalRecord, Platform
from adapters.clockify.translate import zone
from adapters.errors import UpstreamRejected
from schema.approval import Approval
from schema.approver_reads import clockify_approvers, productive_approvers
from schema.context import Context
from schema.ids import NodeKey
from schema.mutations.absence_types import RequestTimeOffInput
from schema.mutations.attempts import Intent, once
from schema.mutations.common import (
    Outcome,
    Problem,
    Refused,
    UserErrorCode,
    decode_input,
    invalid,
)
from schema.mutations.targets import person_on

MAX_DAYS = 366
FULL_DAY_MINUTES = 480
NOTE_LIMIT = 3000
# What Clockify's refusals say, and the input field and code each is about.
REFUSALS = (
    ("balance", UserErrorCode.INSUFFICIENT_BALANCE, "endDate"),
    ("overlap", UserErrorCode.CONFLICT, "startDate"),
    ("not assigned", UserErrorCode.INVALID_INPUT, "policyId"),
    ("archived", UserErrorCode.CONFLICT, "policyId"),
    ("half day", UserErrorCode.INVALID_INPUT, "halfDay"),
    ("overlaps", UserErrorCode.CONFLICT, "startDate"),
)


def _z(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _checked(value: RequestTimeOffInput) -> NodeKey:
    key = decode_input(value.policy_id, ("policyId",), "TimeOffPolicy")
    if value.end_date < value.start_date:
        raise invalid(
            ("endDate",), f"ends ({value.end_date}) before it starts ({value.start_date})"
        )
    if (value.end_date - value.start_date).days >= MAX_DAYS:
        raise invalid(("endDate",), f"at most {MAX_DAYS} days in one request")
    if value.half_day is not None and value.end_date != value.start_date:
        raise invalid(("halfDay",), "a half day needs startDate and endDate on the same day")
    if value.note is not None and len(value.note) > NOTE_LIMIT:
        raise invalid(("note",), f"at most {NOTE_LIMIT} characters")
    return key


def _refusal(error: UpstreamRejected) -> Problem:
    """Clockify says it in the message, Productive in each error object's detail."""
    details = [f.message for f in error.field_errors or [] if f.message]
    message = "; ".join(details) or error.message
    text = f"{error.message} {message}".lower()
    for words, code, name in REFUSALS:
        if words in text:
            return Problem(code, message, ("input", name))
    return Problem(UserErrorCode.INVALID_INPUT, message)


async def request_time_off(ctx: Context, value: RequestTimeOffInput) -> Outcome:
    key = _checked(value)
    ctx.adapter(key.platform)
    if key.platform is Platform.PRODUCTIVE:
        return await _book_absence(ctx, value, key.remote_id)
    policy_id = key.remote_id
    adapter = ctx.adapter(Platform.CLOCKIFY)
    own_id = (await adapter.viewer()).remote_id
    person = await person_on(ctx, Platform.CLOCKIFY, value.person_id)
    records = await adapter.get_people([person])
    if records[0] is None:
        raise invalid(("personId",), "no such person on Clockify", UserErrorCode.NOT_FOUND)
    # The person's own days: midnight to midnight where they are.
    tz = zone(records[0].time_zone)
    start = dt.datetime.combine(value.start_date, dt.time(0), tz)
    end = dt.datetime.combine(value.end_date + dt.timedelta(days=1), dt.time(0), tz)
    end -= dt.timedelta(seconds=1)
    period: dict[str, object] = {"period": {"start": _z(start), "end": _z(end)}}
    if value.half_day is not None:
        period.update(isHalfDay=True, halfDayPeriod=value.half_day.value)
    body = {"timeOffPeriod": period, **({"note": value.note} if value.note else {})}
    approvers = clockify_approvers(ctx)

    async def look(intent: Intent) -> ApprovalRecord | None:
        return await approvers.requested(person, policy_id, intent["start"])

    async def send(intent: Intent) -> ApprovalRecord:
        return await approvers.request_time_off(person, person == own_id, policy_id, intent["body"])

    try:
        record = await once(ctx.attempt, "request", {"body": body, "start": _z(start)}, look, send)
    except UpstreamRejected as error:
        raise Refused(_refusal(error)) from None
    return Outcome(objects={"approval": Approval(record=record)})


async def _book_absence(ctx: Context, value: RequestTimeOffInput, event_id: str) -> Outcome:
    """Productive: a booking of the person on the absence event, whole days (8 hours) or half."""
    person = await person_on(ctx, Platform.PRODUCTIVE, value.person_id)
    minutes = FULL_DAY_MINUTES // 2 if value.half_day is not None else FULL_DAY_MINUTES
    approvers = productive_approvers(ctx)

    async def look(intent: Intent) -> ApprovalRecord | None:
        return await approvers.booked(person, event_id, value.start_date)

    async def send(intent: Intent) -> ApprovalRecord:
        return await approvers.book_absence(
            person, event_id, value.start_date, value.end_date, minutes, value.note
        )

    intent = {"start": value.start_date.isoformat(), "end": value.end_date.isoformat()}
    try:
        record = await once(ctx.attempt, "request", intent, look, send)
    except UpstreamRejected as error:
        raise Refused(_refusal(error)) from None
    return Outcome(objects={"approval": Approval(record=record)})
