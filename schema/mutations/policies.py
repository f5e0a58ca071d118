"""Policies: create and update each kind, archive, restore and delete any of them.

Productive time tracking and approval policies are JSON:API resources (PATCH changes only
what is sent); a Clockify time-off policy is replaced whole (PUT), so the current one is read
and merged first. State conflicts (already archived, still active) are found before writing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import strawberry

from adapters.base import (
    PolicyRecord,
)
from adapters.productive.verify import ProductiveVerify
from schema.context import Context
from schema.enums import ApprovalPolicyKind
from schema.mutations.attempts import Intent, once
from schema.mutations.common import (
    Outcome,
    decode_input,
    invalid,
)
from schema.mutations.keyed import perform
from schema.mutations.policy_lifecycle import lifecycle
from schema.mutations.policy_types import (
    ApprovalPolicyFields,
    ArchivePolicyInput,
    ArchivePolicyPayload,
    CreateApprovalPolicyInput,
    CreateApprovalPolicyPayload,
    CreateTimeOffPolicyInput,
    CreateTimeOffPolicyPayload,
    CreateTimeTrackingPolicyInput,
    CreateTimeTrackingPolicyPayload,
    DeletePolicyInput,
    DeletePolicyPayload,
    PolicyPayload,
    RestorePolicyInput,
    RestorePolicyPayload,
    TimeTrackingPolicyFields,
    UpdateApprovalPolicyInput,
    UpdateApprovalPolicyPayload,
    UpdateTimeOffPolicyInput,
    UpdateTimeOffPolicyPayload,
    UpdateTimeTrackingPolicyInput,
    UpdateTimeTrackingPolicyPayload,
)
from schema.mutations.targets import productive_writes
from schema.mutations.time_off_policies import save_time_off
from schema.policy import policy_object

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


async def save_tracking(ctx: Context, value: TimeTrackingPolicyFields) -> Outcome:
    attributes: dict[str, Any] = {}
    given_id = getattr(value, "id", None)  # only update inputs have one
    if given_id is None and not (value.name or "").strip():
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
    if given_id is not None:
        policy_id = decode_input(given_id, ("id",), "TimeTrackingPolicy").remote_id
    record = await _save_productive(ctx, "time_tracking_policies", attributes, policy_id)
    return Outcome(objects={"policy": policy_object(record)})


async def save_approval(ctx: Context, value: ApprovalPolicyFields) -> Outcome:
    attributes: dict[str, Any] = {}
    given_id = getattr(value, "id", None)  # only update inputs have one
    if given_id is None and value.kind is None:
        raise invalid(("kind",), "required to create an approval policy")
    if value.kind is ApprovalPolicyKind.OTHER:
        raise invalid(("kind",), "OTHER cannot be written; use ABSENCE, BUDGET or DEAL")
    if value.kind is not None:
        attributes["type_id"] = TYPE_IDS[value.kind]
    for name in ("name", "description", "custom", "default"):
        if getattr(value, name) is not None:
            attributes[name] = getattr(value, name)
    policy_id = None
    if given_id is not None:
        policy_id = decode_input(given_id, ("id",), "ApprovalPolicy").remote_id
    record = await _save_productive(ctx, "approval_policies", attributes, policy_id)
    return Outcome(objects={"policy": policy_object(record)})


async def _save_productive(
    ctx: Context, collection: str, attributes: dict[str, Any], policy_id: str | None
) -> PolicyRecord:
    writes = productive_writes(ctx)
    verify = ProductiveVerify(writes)

    async def look(intent: Intent) -> PolicyRecord | None:
        if policy_id is None:
            found = await verify.created_policy(collection, intent["attributes"], intent["at"])
        else:
            found = await verify.policy_has(collection, policy_id, intent["attributes"])
        return await writes.read_policy(collection, found) if found else None

    async def send(intent: Intent) -> PolicyRecord:
        return await writes.save_policy(collection, intent["attributes"], policy_id)

    step = "create" if policy_id is None else "update"
    return await once(ctx.attempt, step, {"attributes": attributes}, look, send)


P = TypeVar("P", bound=PolicyPayload)
SaveFn = Callable[[Context, Any], Awaitable[Outcome]]
Described = strawberry.argument(description="The policy's fields.")
Which = strawberry.argument(description="The policy.")


async def _save(
    info: strawberry.Info[Context, None],
    value: Any,
    save: SaveFn,
    fields: dict[str, str],
    payload: type[P],
) -> P:
    outcome = await perform(info, value, lambda: save(info.context, value), fields)
    return payload(policy=outcome.objects.get("policy"), user_errors=outcome.errors())


async def _change(
    info: strawberry.Info[Context, None], value: Any, action: str, payload: type[P]
) -> P:
    outcome = await perform(info, value, lambda: lifecycle(info.context, value, action))
    return payload(policy=outcome.objects.get("policy"), user_errors=outcome.errors())


@strawberry.type
class PolicyMutations:
    @strawberry.mutation(description="Create a Productive time tracking policy.")
    async def create_time_tracking_policy(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[CreateTimeTrackingPolicyInput, Described],
    ) -> CreateTimeTrackingPolicyPayload:
        return await _save(info, input, save_tracking, FIELDS, CreateTimeTrackingPolicyPayload)

    @strawberry.mutation(description="Change a Productive time tracking policy.")
    async def update_time_tracking_policy(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[UpdateTimeTrackingPolicyInput, Described],
    ) -> UpdateTimeTrackingPolicyPayload:
        return await _save(info, input, save_tracking, FIELDS, UpdateTimeTrackingPolicyPayload)

    @strawberry.mutation(description="Create a Productive approval policy.")
    async def create_approval_policy(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[CreateApprovalPolicyInput, Described],
    ) -> CreateApprovalPolicyPayload:
        return await _save(info, input, save_approval, FIELDS, CreateApprovalPolicyPayload)

    @strawberry.mutation(description="Change a Productive approval policy.")
    async def update_approval_policy(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[UpdateApprovalPolicyInput, Described],
    ) -> UpdateApprovalPolicyPayload:
        return await _save(info, input, save_approval, FIELDS, UpdateApprovalPolicyPayload)

    @strawberry.mutation(description="Create a Clockify time-off policy.")
    async def create_time_off_policy(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[CreateTimeOffPolicyInput, Described],
    ) -> CreateTimeOffPolicyPayload:
        return await _save(info, input, save_time_off, TIME_OFF_FIELDS, CreateTimeOffPolicyPayload)

    @strawberry.mutation(description="Change a Clockify time-off policy.")
    async def update_time_off_policy(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[UpdateTimeOffPolicyInput, Described],
    ) -> UpdateTimeOffPolicyPayload:
        return await _save(info, input, save_time_off, TIME_OFF_FIELDS, UpdateTimeOffPolicyPayload)

    @strawberry.mutation(description="Archive a policy of any kind.")
    async def archive_policy(
        self, info: strawberry.Info[Context, None], input: Annotated[ArchivePolicyInput, Which]
    ) -> ArchivePolicyPayload:
        return await _change(info, input, "archive", ArchivePolicyPayload)

    @strawberry.mutation(description="Restore an archived policy of any kind.")
    async def restore_policy(
        self, info: strawberry.Info[Context, None], input: Annotated[RestorePolicyInput, Which]
    ) -> RestorePolicyPayload:
        return await _change(info, input, "restore", RestorePolicyPayload)

    @strawberry.mutation(
        description="Delete a policy. Clockify deletes only archived time-off policies; "
        "Productive policies cannot be deleted, only archived."
    )
    async def delete_policy(
        self, info: strawberry.Info[Context, None], input: Annotated[DeletePolicyInput, Which]
    ) -> DeletePolicyPayload:
        outcome = await perform(info, input, lambda: lifecycle(info.context, input, "delete"))
        deleted = outcome.extra.get("deleted_id")
        return DeletePolicyPayload(
            deleted_id=strawberry.ID(deleted) if deleted else None, user_errors=outcome.errors()
        )
