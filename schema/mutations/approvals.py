"""approve, reject, withdraw, submitForApproval: one list of IDs may mix Productive time
entries, Clockify timesheet approval requests and Clockify time-off requests.

Every ID is decoded before any upstream call; each item's state is read first, so an item that
cannot change is reported (CONFLICT, NOT_FOUND) without a write and the others proceed.
Productive entries are approved and unapproved through the bulk endpoint in one request.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, TypeVar

import strawberry

from adapters.base import ApprovalRecord, ApprovalState, Platform
from adapters.clockify.verify import ClockifyVerify
from adapters.clockify.writes import z
from adapters.concurrency import gather
from adapters.errors import Conflict, UpstreamRejected
from adapters.productive import translate as productive_translate
from adapters.productive.verify import ProductiveVerify
from schema.approval import Approval
from schema.approver_reads import clockify_approvers
from schema.context import Context
from schema.mutations.approval_absences import decide_absences
from schema.mutations.approval_periods import decide_sheets, decide_time_off
from schema.mutations.approval_run import Run, targets_of
from schema.mutations.approval_types import (
    ApprovalsPayload,
    ApproveInput,
    ApprovePayload,
    RejectInput,
    RejectPayload,
    SubmitForApprovalInput,
    SubmitForApprovalPayload,
    WithdrawInput,
    WithdrawPayload,
)
from schema.mutations.attempts import Intent, once
from schema.mutations.common import (
    Outcome,
    Problem,
    Refused,
    UserErrorCode,
)
from schema.mutations.keyed import perform
from schema.mutations.targets import check_platform, clockify_writes, person_on, productive_writes

P = TypeVar("P", bound=ApprovalsPayload)
PRODUCTIVE_STEPS = ("bulk:", "reject:", "unreject:")


async def decide(
    ctx: Context, ids: list[strawberry.ID], action: str, reason: str | None = None
) -> Outcome:
    targets = targets_of(ctx, ids)
    run = Run(ctx, action, reason)
    # One platform's failure never hides the other's outcome: each part reports its own.
    entries, sheets = [i for i, _ in targets.entries], [i for i, _ in targets.sheets]
    await gather(
        run.guarded(entries, PRODUCTIVE_STEPS, run.productive(targets.entries)),
        run.guarded(sheets, ("sheet:",), decide_sheets(run, targets.sheets)),
        run.guarded(
            [i for i, *_ in targets.time_off], ("timeoff:",), decide_time_off(run, targets.time_off)
        ),
        run.guarded(
            [i for i, _ in targets.absences], ("absence:",), decide_absences(run, targets.absences)
        ),
    )
    return run.outcome()


async def submit(ctx: Context, value: SubmitForApprovalInput) -> Outcome:
    platform = check_platform(value.platform, ctx)
    person = await person_on(ctx, platform, value.person_id)
    if platform is Platform.PRODUCTIVE:
        return await submit_day(ctx, person, value.date)
    monday = value.date - dt.timedelta(days=value.date.weekday())
    # Clockify reads `periodStart` as a calendar day written at midnight UTC (its docs'
    # example is 2020-01-01T00:00:00.000Z). The person's local midnight in UTC is the day
    # before east of Greenwich, which submitted the previous week.
    start = dt.datetime.combine(monday, dt.time(0), dt.UTC)
    writes = clockify_writes(ctx)
    approvers = clockify_approvers(ctx)
    existing = await approvers.request_of_week(person, start)
    if existing is not None and existing.state_raw in RESUBMITTABLE:
        return await _resubmit_week(ctx, person, start, monday)

    async def look(intent: Intent) -> ApprovalRecord | None:
        return await ClockifyVerify(writes).submitted(person, intent["periodStart"])

    async def send(intent: Intent) -> ApprovalRecord:
        return await writes.submit(person, False, start)

    try:
        record = await once(ctx.attempt, "submit", {"periodStart": z(start)}, look, send)
    except Conflict:
        raise Refused(
            Problem(
                UserErrorCode.CONFLICT,
                f"The week of {monday} is already submitted",
                ("input", "date"),
            )
        ) from None
    return Outcome(objects={"approvals": [Approval(record=record)]})


RESUBMITTABLE = frozenset({"REJECTED", "WITHDRAWN_SUBMISSION", "WITHDRAWN_APPROVAL"})


async def _resubmit_week(ctx: Context, person: str, start: dt.datetime, monday: dt.date) -> Outcome:
    """A rejected or withdrawn week goes back for approval through Clockify's re-submit
    endpoint (own, or for a user), which answers without a body: the request is re-read."""
    approvers = clockify_approvers(ctx)
    own = person == (await ctx.adapter(Platform.CLOCKIFY).viewer()).remote_id

    async def look(intent: Intent) -> ApprovalRecord | None:
        found = await approvers.request_of_week(person, start)
        return found if found is not None and found.state_raw == "PENDING" else None

    async def send(intent: Intent) -> ApprovalRecord:
        await approvers.resubmit(person, own, start)
        found = await look(intent)
        if found is None:
            raise Refused(
                Problem(
                    UserErrorCode.CONFLICT,
                    f"The week of {monday} was re-submitted but does not show as pending",
                    ("input", "date"),
                )
            )
        return found

    record = await once(ctx.attempt, "resubmit", {"periodStart": z(start)}, look, send)
    return Outcome(objects={"approvals": [Approval(record=record)]})


async def _resubmit_day(ctx: Context, person: str, day: dt.date, created: bool) -> None:
    """Submitting a day again re-submits its rejected entries: `unreject` returns them to
    waiting for approval under the day's timesheet. With the timesheet already there and
    nothing rejected, the day is simply already submitted."""
    writes = productive_writes(ctx)
    entries = await writes.entries_of_day(person, day)
    rejected = [e.remote_id for e in entries if e.approval_state is ApprovalState.REJECTED]
    if not rejected and created:
        return
    if not rejected:
        raise Refused(
            Problem(UserErrorCode.CONFLICT, f"{day} is already submitted", ("input", "date"))
        )
    for entry_id in rejected:

        async def look(intent: Intent, eid: str = entry_id) -> bool | None:
            found = (await writes.reread_entries([eid]))[0]
            pending = found is not None and found.approval_state is not ApprovalState.REJECTED
            return True if pending else None

        async def send(intent: Intent, eid: str = entry_id) -> bool:
            await writes.unreject(eid)
            return True

        await once(ctx.attempt, f"unreject:{entry_id}", {"ids": [entry_id]}, look, send)


async def submit_day(ctx: Context, person: str, day: dt.date, step: str = "submit") -> Outcome:
    writes = productive_writes(ctx)

    async def look(intent: Intent) -> bool | None:
        return await ProductiveVerify(writes).timesheet(person, day.isoformat())

    async def send(intent: Intent) -> bool:
        await writes.submit_timesheet(person, day)
        return True

    created = True
    try:
        await once(ctx.attempt, step, {"date": day.isoformat()}, look, send)
    except UpstreamRejected as error:
        if not any("already been taken" in f.message for f in error.field_errors):
            raise
        created = False
    await _resubmit_day(ctx, person, day, created)
    entries = await writes.entries_of_day(person, day)
    approvals = [Approval(record=productive_translate.entry_approval(e)) for e in entries]
    return Outcome(objects={"approvals": approvals})


@strawberry.type
class ApprovalMutations:
    @strawberry.mutation(description="Approve time entries, timesheet requests and time off.")
    async def approve(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[ApproveInput, strawberry.argument(description="What to approve.")],
    ) -> ApprovePayload:
        outcome = await perform(info, input, lambda: decide(info.context, input.ids, "approve"))
        return _payload(ApprovePayload, outcome)

    @strawberry.mutation(description="Reject, with a reason.")
    async def reject(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[RejectInput, strawberry.argument(description="What to reject, and why.")],
    ) -> RejectPayload:
        outcome = await perform(
            info, input, lambda: decide(info.context, input.ids, "reject", input.reason)
        )
        return _payload(RejectPayload, outcome)

    @strawberry.mutation(
        description="Take back an approval or rejection (Productive unapprove/"
        "unreject; Clockify withdrawn approval or submission; a "
        "pending time-off request is deleted)."
    )
    async def withdraw(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[WithdrawInput, strawberry.argument(description="What to take back.")],
    ) -> WithdrawPayload:
        outcome = await perform(info, input, lambda: decide(info.context, input.ids, "withdraw"))
        return _payload(WithdrawPayload, outcome)

    @strawberry.mutation(
        description="Submit time: a Productive timesheet for a day, or a "
        "Clockify weekly approval request."
    )
    async def submit_for_approval(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            SubmitForApprovalInput,
            strawberry.argument(description="Whose time and which day or week."),
        ],
    ) -> SubmitForApprovalPayload:
        outcome = await perform(
            info,
            input,
            lambda: submit(info.context, input),
            {"date": "date", "periodStart": "date"},
        )
        return _payload(SubmitForApprovalPayload, outcome)


def _payload(kind: type[P], outcome: Outcome) -> P:
    return kind(approvals=outcome.objects.get("approvals", []), user_errors=outcome.errors())
