"""submitWeek: one human's week submitted on both platforms at once: each Productive day with
unsubmitted (or rejected) time gets its timesheet, and the Clockify week its approval request.

Each part reports on its own: a part that fails (upstream down, a refusal) is that part's
error, and the other part still goes through. Every write goes through `once`, so a retry with
the same idempotency key sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any

import strawberry

from adapters.base import ApprovalState, EntryQuery, Platform
from adapters.errors import AdapterError, UnknownOutcome
from schema.approval import Approval
from schema.context import Context
from schema.enums import PlatformName
from schema.humans.linking import HumanRecord, human_of, link
from schema.ids import encode
from schema.mutations.approval_types import SubmitForApprovalInput
from schema.mutations.approvals import submit, submit_day
from schema.mutations.common import (
    KEY_DESCRIPTION,
    Outcome,
    Refused,
    UserError,
    UserErrorCode,
    decode_input,
    invalid,
)
from schema.mutations.keyed import perform

UNSUBMITTED = frozenset({ApprovalState.DRAFT, ApprovalState.REJECTED, ApprovalState.WITHDRAWN})


@strawberry.enum(description="What happened to one platform's part of a week's submission.")
class SubmitWeekStatus(Enum):
    SUBMITTED = strawberry.enum_value("SUBMITTED", description="Submitted now.")
    ALREADY_SUBMITTED = strawberry.enum_value(
        "ALREADY_SUBMITTED", description="It was submitted before; nothing was sent."
    )
    NOTHING_TO_SUBMIT = strawberry.enum_value(
        "NOTHING_TO_SUBMIT", description="No time tracked there that week."
    )
    FAILED = strawberry.enum_value("FAILED", description="It failed; see `userErrors`.")


@strawberry.input(description="Which human's week to submit.")
class SubmitWeekInput:
    human_id: strawberry.ID = strawberry.field(description="The Human.")
    week_start: dt.date = strawberry.field(
        description="The week's Monday (Clockify's approval weeks start on Monday)."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.type(description="One platform's part of a week's submission.")
class SubmitWeekPart:
    platform: PlatformName = strawberry.field(description="The platform.")
    status: SubmitWeekStatus = strawberry.field(description="What happened.")
    approvals: list[Approval] = strawberry.field(description="What it submitted, as it is now.")
    user_errors: list[UserError] = strawberry.field(description="Why it failed, if it did.")


@strawberry.type(description="What submitWeek did, platform by platform.")
class SubmitWeekPayload:
    parts: list[SubmitWeekPart] = strawberry.field(
        description="One per platform the human is on; a failed part never hides the other."
    )
    user_errors: list[UserError] = strawberry.field(description="Problems with the input.")


async def _human(ctx: Context, value: SubmitWeekInput) -> HumanRecord:
    key = decode_input(value.human_id, ("humanId",), "Human")
    people = []
    for platform in ctx.configured():
        people += await ctx.loaders.everyone[platform].get()
    found = human_of(
        link(people, ctx.services.get("human_links") or {}), key.platform, key.remote_id
    )
    if found is None:
        raise invalid(
            ("humanId",), f"no human has the ID {value.human_id}", UserErrorCode.NOT_FOUND
        )
    return found


async def _productive(ctx: Context, person: str, monday: dt.date) -> tuple[str, list[Any]]:
    adapter = ctx.adapter(Platform.PRODUCTIVE)
    query = EntryQuery(person_ids=(person,), start=monday, end=monday + dt.timedelta(days=6))
    window = await adapter.entry_window(query, 0, 1000)
    entries = [record for record, _ in window.entries]
    if not entries:
        return "NOTHING_TO_SUBMIT", []
    days = sorted({e.date for e in entries if e.approval_state in UNSUBMITTED})
    if not days:
        return "ALREADY_SUBMITTED", []
    approvals: list[Any] = []
    for day in days:
        outcome = await submit_day(ctx, person, day, step=f"submit:{day.isoformat()}")
        approvals += outcome.objects.get("approvals", [])
    return "SUBMITTED", approvals


async def _clockify(ctx: Context, person: str, monday: dt.date) -> tuple[str, list[Any]]:
    adapter = ctx.adapter(Platform.CLOCKIFY)
    query = EntryQuery(person_ids=(person,), start=monday, end=monday + dt.timedelta(days=6))
    window = await adapter.entry_window(query, 0, 1000, frozenset({"approval"}))
    entries = [record for record, _ in window.entries]
    if not entries:
        return "NOTHING_TO_SUBMIT", []
    if not any(e.approval_state in UNSUBMITTED for e in entries):
        return "ALREADY_SUBMITTED", []
    value = SubmitForApprovalInput(
        platform=PlatformName.CLOCKIFY,
        person_id=strawberry.ID(encode("Person", Platform.CLOCKIFY, person)),
        date=monday,
    )
    outcome = await submit(ctx, value)
    if outcome.problems:
        raise Refused(*outcome.problems)
    return "SUBMITTED", outcome.objects.get("approvals", [])


async def submit_week(ctx: Context, value: SubmitWeekInput) -> Outcome:
    if value.week_start.weekday() != 0:
        raise invalid(("weekStart",), f"{value.week_start} is not a Monday")
    human = await _human(ctx, value)
    outcome = Outcome(extra={"parts": {}})
    parts = {Platform.PRODUCTIVE: _productive, Platform.CLOCKIFY: _clockify}
    for account in human.accounts:
        platform = account.platform
        name = platform.name
        try:
            status, approvals = await parts[platform](ctx, account.remote_id, value.week_start)
            outcome.extra["parts"][name] = {"status": status, "errors": []}
            outcome.objects[f"{platform.value}_approvals"] = [
                a for a in approvals if isinstance(a, Approval)
            ]
        except UnknownOutcome:
            raise  # whether it landed is unknown: the key stays open for a retry
        except (Refused, AdapterError) as error:
            problems = error.problems if isinstance(error, Refused) else [_problem(error)]
            errors = [
                {"code": p.code.value, "message": p.message, "field": list(p.field or ())}
                for p in problems
            ]
            outcome.extra["parts"][name] = {
                "status": "FAILED",
                "errors": errors,
            }
    return outcome


def _problem(error: AdapterError) -> Any:
    from schema.mutations.common import Problem

    code = (
        UserErrorCode.FORBIDDEN if error.code == "FORBIDDEN" else UserErrorCode.UPSTREAM_UNAVAILABLE
    )
    return Problem(code, f"{error.platform.capitalize()}: {error.message}")


def payload(outcome: Outcome) -> SubmitWeekPayload:
    parts = []
    for name, part in (outcome.extra.get("parts") or {}).items():
        platform = Platform[name]
        errors = [
            UserError(code=UserErrorCode(e["code"]), message=e["message"], field=e["field"] or None)
            for e in part["errors"]
        ]
        parts.append(
            SubmitWeekPart(
                platform=PlatformName.of(platform),
                status=SubmitWeekStatus(part["status"]),
                approvals=outcome.objects.get(f"{platform.value}_approvals", []),
                user_errors=errors,
            )
        )
    return SubmitWeekPayload(parts=parts, user_errors=outcome.errors())


@strawberry.type
class SubmitWeekMutation:
    @strawberry.mutation(
        description="Submit one human's week everywhere at once: the Productive days with "
        "unsubmitted or rejected time, and the Clockify week."
    )
    async def submit_week(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[SubmitWeekInput, strawberry.argument(description="Whose week.")],
    ) -> SubmitWeekPayload:
        outcome = await perform(info, input, lambda: submit_week(info.context, input))
        return payload(outcome)
