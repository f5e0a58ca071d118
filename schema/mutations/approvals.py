"""approve, reject, withdraw, submitForApproval: one list of IDs may mix Productive time
entries, Clockify timesheet approval requests and Clockify time-off requests.

Every ID is decoded before any upstream call; each item's state is read first, so an item that
cannot change is reported (CONFLICT, NOT_FOUND) without a write and the others proceed.
Productive entries are approved and unapproved through the bulk endpoint in one request.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from adapters.base import Platform
from adapters.clockify import translate as clockify_translate
from adapters.concurrency import gather
from adapters.errors import Conflict, UpstreamRejected
from adapters.productive import translate as productive_translate
from schema.approval import Approval
from schema.context import Context
from schema.mutations.approval_run import Run, targets_of
from schema.mutations.approval_types import (
    ApprovalIdsInput,
    ApprovalsPayload,
    RejectInput,
    SubmitForApprovalInput,
)
from schema.mutations.common import (
    Outcome,
    Problem,
    Refused,
    UserErrorCode,
    perform,
)
from schema.mutations.targets import check_platform, clockify_writes, person_on, productive_writes


async def decide(
    ctx: Context, ids: list[strawberry.ID], action: str, reason: str | None = None
) -> Outcome:
    targets = targets_of(ctx, ids)
    run = Run(ctx, action, reason)
    await gather(
        run.productive(targets.entries), run.sheets(targets.sheets), run.time_off(targets.time_off)
    )
    return run.outcome()


async def submit(ctx: Context, value: SubmitForApprovalInput) -> Outcome:
    platform = check_platform(value.platform, ctx)
    person = await person_on(ctx, platform, value.person)
    if platform is Platform.PRODUCTIVE:
        writes = productive_writes(ctx)
        try:
            await writes.submit_timesheet(person, value.date)
        except UpstreamRejected as error:
            if any("already been taken" in f.message for f in error.field_errors):
                raise Refused(
                    Problem(
                        UserErrorCode.CONFLICT,
                        f"{value.date} is already submitted",
                        ("input", "date"),
                    )
                ) from None
            raise
        entries = await writes.entries_of_day(person, value.date)
        approvals = [Approval(record=productive_translate.entry_approval(e)) for e in entries]
        return Outcome(objects={"approvals": approvals})
    users = await ctx.adapter(platform).users()
    owner = users.get(person)
    zone = clockify_translate.zone(owner.time_zone if owner else None)
    monday = value.date - dt.timedelta(days=value.date.weekday())
    start = dt.datetime.combine(monday, dt.time(0), zone)
    try:
        record = await clockify_writes(ctx).submit(person, False, start)
    except Conflict:
        raise Refused(
            Problem(
                UserErrorCode.CONFLICT,
                f"The week of {monday} is already submitted",
                ("input", "date"),
            )
        ) from None
    return Outcome(objects={"approvals": [Approval(record=record)]})


@strawberry.type
class ApprovalMutations:
    @strawberry.mutation(description="Approve time entries, timesheet requests and time off.")
    async def approve(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            ApprovalIdsInput, strawberry.argument(description="What to approve or withdraw.")
        ],
    ) -> ApprovalsPayload:
        outcome = await perform(info, input, lambda: decide(info.context, input.ids, "approve"))
        return ApprovalsPayload(
            approvals=outcome.objects.get("approvals", []), user_errors=outcome.errors()
        )

    @strawberry.mutation(description="Reject, with a reason.")
    async def reject(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[RejectInput, strawberry.argument(description="What to reject, and why.")],
    ) -> ApprovalsPayload:
        outcome = await perform(
            info, input, lambda: decide(info.context, input.ids, "reject", input.reason)
        )
        return ApprovalsPayload(
            approvals=outcome.objects.get("approvals", []), user_errors=outcome.errors()
        )

    @strawberry.mutation(
        description="Take back an approval or rejection (Productive unapprove/"
        "unreject; Clockify withdrawn approval or submission; a "
        "pending time-off request is deleted)."
    )
    async def withdraw(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            ApprovalIdsInput, strawberry.argument(description="What to approve or withdraw.")
        ],
    ) -> ApprovalsPayload:
        outcome = await perform(info, input, lambda: decide(info.context, input.ids, "withdraw"))
        return ApprovalsPayload(
            approvals=outcome.objects.get("approvals", []), user_errors=outcome.errors()
        )

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
    ) -> ApprovalsPayload:
        outcome = await perform(
            info,
            input,
            lambda: submit(info.context, input),
            {"date": "date", "periodStart": "date"},
        )
        return ApprovalsPayload(
            approvals=outcome.objects.get("approvals", []), user_errors=outcome.errors()
        )
