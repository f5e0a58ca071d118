"""Policies: create and update each kind, archive, restore and delete any of them.

Productive time tracking and approval policies are JSON:API resources (PATCH changes only
what is sent); a Clockify time-off policy is replaced whole (PUT), so the current one is read
and merged first. State conflicts (already archived, still active) are found before writing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import strawberry

from adapters.base import Platform
from schema.context import Context
from schema.enums import ApprovalPolicyKind, TimeOffUnit
from schema.mutations.common import (
    Outcome,
    Problem,
    Refused,
    UserError,
    UserErrorCode,
    decode_input,
    invalid,
    perform,
)
from schema.mutations.targets import clockify_writes, productive_writes
from schema.mutations.timers import KEY_DESCRIPTION
from schema.policy import Policy, policy_object

LIMITS = {
    "working_day_limit_hours": "working_day_limit",
    "non_working_day_limit_hours": "non_working_day_limit",
    "holiday_limit_hours": "holiday_limit",
    "full_day_absence_limit_hours": "full_day_absence_limit",
    "half_day_absence_limit_hours": "half_day_absence_limit",
}
FLAGS = (
    "note_mandatory",
    "task_mandatory",
    "time_range_mandatory",
    "restrict_future_tracking",
    "restrict_tracking_over_budget",
    "restrict_time_entry_overlap",
)
TEXTS = ("disabled_tracking_message", "limited_tracking_message")
TYPE_IDS = {ApprovalPolicyKind.ABSENCE: 1, ApprovalPolicyKind.BUDGET: 2, ApprovalPolicyKind.DEAL: 3}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.capitalize() for p in rest)


FIELDS = {
    **{upstream: _camel(ours) for ours, upstream in LIMITS.items()},
    **{name: _camel(name) for name in (*FLAGS, *TEXTS)},
    "name": "name",
    "type_id": "kind",
    "description": "description",
}
TIME_OFF_FIELDS = {"name": "name", "timeUnit": "timeUnit", "approve": "requiresApproval"}


@strawberry.input(description="Rules of a Productive time tracking policy. Limits are hours.")
class TimeTrackingPolicyInput:
    id: strawberry.ID | None = strawberry.field(
        default=None, description="The policy to update; omit to create one."
    )
    name: str | None = strawberry.field(default=None, description="Name (required to create).")
    working_day_limit_hours: float | None = strawberry.field(
        default=None, description="Most hours on a working day."
    )
    non_working_day_limit_hours: float | None = strawberry.field(
        default=None, description="Most hours on a non-working day."
    )
    holiday_limit_hours: float | None = strawberry.field(
        default=None, description="Most hours on a holiday."
    )
    full_day_absence_limit_hours: float | None = strawberry.field(
        default=None, description="Most hours during a full-day absence."
    )
    half_day_absence_limit_hours: float | None = strawberry.field(
        default=None, description="Most hours during a half-day absence."
    )
    note_mandatory: bool | None = strawberry.field(default=None, description="Notes required.")
    task_mandatory: bool | None = strawberry.field(default=None, description="Tasks required.")
    time_range_mandatory: bool | None = strawberry.field(
        default=None, description="Start and end required."
    )
    restrict_future_tracking: bool | None = strawberry.field(
        default=None, description="Refuse future days."
    )
    restrict_tracking_over_budget: bool | None = strawberry.field(
        default=None, description="Refuse tracking over budget."
    )
    restrict_time_entry_overlap: bool | None = strawberry.field(
        default=None, description="Refuse overlapping entries."
    )
    disabled_tracking_message: str | None = strawberry.field(
        default=None, description="Shown when tracking is disabled."
    )
    limited_tracking_message: str | None = strawberry.field(
        default=None, description="Shown when tracking is limited."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input(description="A Productive approval policy.")
class ApprovalPolicyInput:
    id: strawberry.ID | None = strawberry.field(
        default=None, description="The policy to update; omit to create one."
    )
    name: str | None = strawberry.field(default=None, description="Name.")
    description: str | None = strawberry.field(default=None, description="Description.")
    kind: ApprovalPolicyKind | None = strawberry.field(
        default=None, description="What it approves (required to create)."
    )
    custom: bool | None = strawberry.field(default=None, description="For one target only.")
    default: bool | None = strawberry.field(
        default=None, description="The organization's default generic policy."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input(description="A Clockify time-off policy.")
class TimeOffPolicyInput:
    id: strawberry.ID | None = strawberry.field(
        default=None, description="The policy to update; omit to create one."
    )
    name: str | None = strawberry.field(default=None, description="Name (required to create).")
    time_unit: TimeOffUnit | None = strawberry.field(
        default=None, description="Days or hours (default: days)."
    )
    allow_half_days: bool | None = strawberry.field(default=None, description="Half days.")
    allow_negative_balance: bool | None = strawberry.field(
        default=None, description="Balance may go below zero."
    )
    negative_balance_limit: float | None = strawberry.field(
        default=None, description="How far below zero, per year, in `timeUnit`."
    )
    requires_approval: bool | None = strawberry.field(
        default=None, description="Requests need approval (required to create)."
    )
    team_managers_approve: bool | None = strawberry.field(
        default=None, description="Team managers approve."
    )
    approvers: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Specific approvers (Clockify Person IDs)."
    )
    applies_to_everyone: bool | None = strawberry.field(
        default=None, description="Applies to everyone, new members too."
    )
    people: list[strawberry.ID] | None = strawberry.field(
        default=None, description="People it applies to (Clockify Person IDs)."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input(description="The policy to archive, restore or delete.")
class PolicyIdInput:
    id: strawberry.ID = strawberry.field(description="A policy's ID.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.type(description="The policy a mutation created or changed.")
class PolicyPayload:
    policy: Policy | None = strawberry.field(description="The policy as it is now.")
    user_errors: list[UserError] = strawberry.field(description="Problems; empty on success.")


@strawberry.type(description="What deletePolicy did.")
class DeletePolicyPayload:
    deleted_id: strawberry.ID | None = strawberry.field(description="The deleted policy's ID.")
    user_errors: list[UserError] = strawberry.field(description="Problems; empty on success.")


def _policy_key(value: str, *types: str) -> Any:
    return decode_input(value, ("id",), *types)


async def save_tracking(ctx: Context, value: TimeTrackingPolicyInput) -> Outcome:
    attributes: dict[str, Any] = {}
    if value.id is None and not (value.name or "").strip():
        raise invalid(("name",), "required to create a policy")
    if value.name is not None:
        if not value.name.strip():
            raise invalid(("name",), "must not be blank")
        attributes["name"] = value.name
    for ours, upstream in LIMITS.items():
        hours = getattr(value, ours)
        if hours is not None:
            if hours < 0:
                raise invalid((_camel(ours),), f"must be 0 or more hours, got {hours}")
            attributes[upstream] = hours
    for name in (*FLAGS, *TEXTS):
        if getattr(value, name) is not None:
            attributes[name] = getattr(value, name)
    policy_id = None
    if value.id is not None:
        policy_id = _policy_key(value.id, "TimeTrackingPolicy").remote_id
    writes = productive_writes(ctx)
    record = await writes.save_policy("time_tracking_policies", attributes, policy_id)
    return Outcome(objects={"policy": policy_object(record)})


async def save_approval(ctx: Context, value: ApprovalPolicyInput) -> Outcome:
    attributes: dict[str, Any] = {}
    if value.id is None and value.kind is None:
        raise invalid(("kind",), "required to create an approval policy")
    if value.kind is ApprovalPolicyKind.OTHER:
        raise invalid(("kind",), "OTHER cannot be written; use ABSENCE, BUDGET or DEAL")
    if value.kind is not None:
        attributes["type_id"] = TYPE_IDS[value.kind]
    for name in ("name", "description", "custom", "default"):
        if getattr(value, name) is not None:
            attributes[name] = getattr(value, name)
    policy_id = None
    if value.id is not None:
        policy_id = _policy_key(value.id, "ApprovalPolicy").remote_id
    record = await productive_writes(ctx).save_policy("approval_policies", attributes, policy_id)
    return Outcome(objects={"policy": policy_object(record)})


def _clockify_people(ids: list[strawberry.ID], name: str) -> list[str]:
    out = []
    for index, value in enumerate(ids):
        key = decode_input(value, (name, str(index)), "Person")
        if key.platform is not Platform.CLOCKIFY:
            raise invalid((name, str(index)), "time-off policies take Clockify people")
        out.append(key.remote_id)
    return out


async def save_time_off(ctx: Context, value: TimeOffPolicyInput) -> Outcome:
    if value.id is None:
        if not (value.name or "").strip():
            raise invalid(("name",), "required to create a policy")
        if value.requires_approval is None:
            raise invalid(("requiresApproval",), "required to create a policy")
    if value.name is not None and not value.name.strip():
        raise invalid(("name",), "must not be blank")
    if value.negative_balance_limit is not None and value.negative_balance_limit < 0:
        raise invalid(("negativeBalanceLimit",), "must be 0 or more")
    approvers = _clockify_people(value.approvers or [], "approvers")
    people = _clockify_people(value.people or [], "people")
    writes = clockify_writes(ctx)
    current: dict[str, Any] = {}
    policy_id = None
    if value.id is not None:
        policy_id = _policy_key(value.id, "TimeOffPolicy").remote_id
        current = await writes.raw_policy(policy_id)
    approve = dict(
        current.get("approve")
        or {
            "requiresApproval": True,
            "teamManagers": False,
            "specificMembers": False,
            "userIds": [],
        }
    )
    if value.requires_approval is not None:
        approve["requiresApproval"] = value.requires_approval
    if value.team_managers_approve is not None:
        approve["teamManagers"] = value.team_managers_approve
    if value.approvers is not None:
        approve.update(userIds=approvers, specificMembers=bool(approvers))
    allow_negative = (
        value.allow_negative_balance
        if value.allow_negative_balance is not None
        else bool(current.get("allowNegativeBalance"))
    )
    if value.negative_balance_limit is not None and not allow_negative:
        raise invalid(("negativeBalanceLimit",), "needs allowNegativeBalance")
    unit = value.time_unit.value if value.time_unit else current.get("timeUnit", "DAYS")
    body: dict[str, Any] = {
        "name": value.name if value.name is not None else current.get("name"),
        "approve": approve,
        "timeUnit": unit,
        "allowHalfDay": value.allow_half_days
        if value.allow_half_days is not None
        else bool(current.get("allowHalfDay")),
        "allowNegativeBalance": allow_negative,
        "archived": bool(current.get("archived")),
        "everyoneIncludingNew": value.applies_to_everyone
        if value.applies_to_everyone is not None
        else bool(current.get("everyoneIncludingNew")),
        "hasExpiration": False,
        "users": {
            "contains": "CONTAINS",
            "ids": people if value.people is not None else current.get("userIds", []),
        },
        "userGroups": {"contains": "CONTAINS", "ids": current.get("userGroupIds", [])},
    }
    if value.negative_balance_limit is not None:
        body["negativeBalance"] = {
            "amount": value.negative_balance_limit,
            "period": "YEAR",
            "timeUnit": unit,
            "shouldReset": True,
        }
    if policy_id is None:
        record = await writes.create_policy(body)
    else:
        record = await writes.replace_policy(policy_id, body)
    return Outcome(objects={"policy": policy_object(record)})


COLLECTIONS = {
    "TimeTrackingPolicy": "time_tracking_policies",
    "ApprovalPolicy": "approval_policies",
}


async def lifecycle(ctx: Context, value: PolicyIdInput, action: str) -> Outcome:
    from schema.ids import decode

    key = decode_input(value.id, ("id",), "TimeTrackingPolicy", "ApprovalPolicy", "TimeOffPolicy")
    type_name, _ = decode(value.id, "input.id")
    ctx.adapter(key.platform)
    if key.platform is Platform.PRODUCTIVE:
        writes = productive_writes(ctx)
        collection = COLLECTIONS[type_name]
        if action == "delete":
            await writes.delete_policy(collection, key.remote_id)
            return Outcome(extra={"deleted_id": value.id})
        record = await writes.policy_action(collection, key.remote_id, action)
        return Outcome(objects={"policy": policy_object(record)})
    writes_c = clockify_writes(ctx)
    current = await writes_c.raw_policy(key.remote_id)
    archived = bool(current.get("archived"))
    if action == "archive" and archived:
        raise _conflict("The policy is already archived")
    if action == "restore" and not archived:
        raise _conflict("The policy is not archived")
    if action == "delete":
        if not archived:
            raise _conflict("Clockify deletes only archived policies: archive it first")
        await writes_c.delete_policy(key.remote_id)
        return Outcome(extra={"deleted_id": value.id})
    status = "ARCHIVED" if action == "archive" else "ACTIVE"
    time_off = await writes_c.set_policy_status(key.remote_id, status)
    return Outcome(objects={"policy": policy_object(time_off)})


def _conflict(message: str) -> Refused:
    return Refused(Problem(UserErrorCode.CONFLICT, message, ("input", "id")))


def _payload(outcome: Outcome) -> PolicyPayload:
    return PolicyPayload(policy=outcome.objects.get("policy"), user_errors=outcome.errors())


def _creating(value: Any, creating: bool) -> None:
    if creating and value.id is not None:
        raise invalid(("id",), "omit `id` to create; use the update mutation to change one")
    if not creating and value.id is None:
        raise invalid(("id",), "required: the policy to update")


SaveFn = Callable[[Context, Any], Awaitable[Outcome]]


async def _save(
    info: strawberry.Info[Context, None],
    value: Any,
    creating: bool,
    save: SaveFn,
    fields: dict[str, str],
) -> PolicyPayload:
    async def work() -> Outcome:
        _creating(value, creating)
        return await save(info.context, value)

    return _payload(await perform(info, value, work, fields))


@strawberry.type
class PolicyMutations:
    @strawberry.mutation(description="Create a Productive time tracking policy (omit `id`).")
    async def create_time_tracking_policy(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            TimeTrackingPolicyInput, strawberry.argument(description="The policy's fields.")
        ],
    ) -> PolicyPayload:
        return await _save(info, input, True, save_tracking, FIELDS)

    @strawberry.mutation(description="Update a Productive time tracking policy (give `id`).")
    async def update_time_tracking_policy(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            TimeTrackingPolicyInput, strawberry.argument(description="The policy's fields.")
        ],
    ) -> PolicyPayload:
        return await _save(info, input, False, save_tracking, FIELDS)

    @strawberry.mutation(description="Create a Productive approval policy (omit `id`).")
    async def create_approval_policy(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            ApprovalPolicyInput, strawberry.argument(description="The policy's fields.")
        ],
    ) -> PolicyPayload:
        return await _save(info, input, True, save_approval, FIELDS)

    @strawberry.mutation(description="Update a Productive approval policy (give `id`).")
    async def update_approval_policy(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            ApprovalPolicyInput, strawberry.argument(description="The policy's fields.")
        ],
    ) -> PolicyPayload:
        return await _save(info, input, False, save_approval, FIELDS)

    @strawberry.mutation(description="Create a Clockify time-off policy (omit `id`).")
    async def create_time_off_policy(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            TimeOffPolicyInput, strawberry.argument(description="The policy's fields.")
        ],
    ) -> PolicyPayload:
        return await _save(info, input, True, save_time_off, TIME_OFF_FIELDS)

    @strawberry.mutation(description="Update a Clockify time-off policy (give `id`).")
    async def update_time_off_policy(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            TimeOffPolicyInput, strawberry.argument(description="The policy's fields.")
        ],
    ) -> PolicyPayload:
        return await _save(info, input, False, save_time_off, TIME_OFF_FIELDS)

    @strawberry.mutation(description="Archive a policy of any kind.")
    async def archive_policy(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[PolicyIdInput, strawberry.argument(description="The policy.")],
    ) -> PolicyPayload:
        return _payload(
            await perform(info, input, lambda: lifecycle(info.context, input, "archive"))
        )

    @strawberry.mutation(description="Restore an archived policy of any kind.")
    async def restore_policy(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[PolicyIdInput, strawberry.argument(description="The policy.")],
    ) -> PolicyPayload:
        return _payload(
            await perform(info, input, lambda: lifecycle(info.context, input, "restore"))
        )

    @strawberry.mutation(description="Delete a policy (Clockify: only archived ones).")
    async def delete_policy(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[PolicyIdInput, strawberry.argument(description="The policy.")],
    ) -> DeletePolicyPayload:
        outcome = await perform(info, input, lambda: lifecycle(info.context, input, "delete"))
        deleted = outcome.extra.get("deleted_id")
        return DeletePolicyPayload(
            deleted_id=strawberry.ID(deleted) if deleted else None, user_errors=outcome.errors()
        )
