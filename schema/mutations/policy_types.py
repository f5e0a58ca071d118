"""Inputs and payloads of the policy mutations."""

from __future__ import annotations

import strawberry

from schema.enums import ApprovalPolicyKind, TimeOffUnit
from schema.mutations.common import KEY_DESCRIPTION, UserError
from schema.policy import Policy


@strawberry.input(description="Rules of a Productive time tracking policy. Limits are hours.")
class TimeTrackingPolicyFields:
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


@strawberry.input(description="A Productive approval policy's fields.")
class ApprovalPolicyFields:
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


@strawberry.input(description="A Clockify time-off policy's fields.")
class TimeOffPolicyFields:
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
    approver_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Specific approvers (Clockify Person IDs)."
    )
    applies_to_everyone: bool | None = strawberry.field(
        default=None, description="Applies to everyone, new members too."
    )
    person_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="People it applies to (Clockify Person IDs)."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.type(description="The policy a mutation created or changed.")
class PolicyPayload:
    policy: Policy | None = strawberry.field(description="The policy as it is now.")
    user_errors: list[UserError] = strawberry.field(description="Problems; empty on success.")


@strawberry.type(description="What archivePolicy did.")
class ArchivePolicyPayload(PolicyPayload):
    pass


@strawberry.type(description="What restorePolicy did.")
class RestorePolicyPayload(PolicyPayload):
    pass


@strawberry.type(description="What deletePolicy did.")
class DeletePolicyPayload:
    deleted_id: strawberry.ID | None = strawberry.field(description="The deleted policy's ID.")
    user_errors: list[UserError] = strawberry.field(description="Problems; empty on success.")


@strawberry.input(description="Create a Productive time tracking policy.")
class CreateTimeTrackingPolicyInput(TimeTrackingPolicyFields):
    pass


@strawberry.input(
    description="Change a Productive time tracking policy; omitted fields stay as they are."
)
class UpdateTimeTrackingPolicyInput(TimeTrackingPolicyFields):
    id: strawberry.ID = strawberry.field(description="The policy to change.")


@strawberry.type(description="What createTimeTrackingPolicy did.")
class CreateTimeTrackingPolicyPayload(PolicyPayload):
    pass


@strawberry.type(description="What updateTimeTrackingPolicy did.")
class UpdateTimeTrackingPolicyPayload(PolicyPayload):
    pass


@strawberry.input(description="Create a Productive approval policy.")
class CreateApprovalPolicyInput(ApprovalPolicyFields):
    pass


@strawberry.input(
    description="Change a Productive approval policy; omitted fields stay as they are."
)
class UpdateApprovalPolicyInput(ApprovalPolicyFields):
    id: strawberry.ID = strawberry.field(description="The policy to change.")


@strawberry.type(description="What createApprovalPolicy did.")
class CreateApprovalPolicyPayload(PolicyPayload):
    pass


@strawberry.type(description="What updateApprovalPolicy did.")
class UpdateApprovalPolicyPayload(PolicyPayload):
    pass


@strawberry.input(description="Create a Clockify time-off policy.")
class CreateTimeOffPolicyInput(TimeOffPolicyFields):
    pass


@strawberry.input(description="Change a Clockify time-off policy; omitted fields stay as they are.")
class UpdateTimeOffPolicyInput(TimeOffPolicyFields):
    id: strawberry.ID = strawberry.field(description="The policy to change.")


@strawberry.type(description="What createTimeOffPolicy did.")
class CreateTimeOffPolicyPayload(PolicyPayload):
    pass


@strawberry.type(description="What updateTimeOffPolicy did.")
class UpdateTimeOffPolicyPayload(PolicyPayload):
    pass


@strawberry.input(description="One policy, by ID.")
class PolicyIdFields:
    id: strawberry.ID = strawberry.field(description="A policy's ID.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input(description="The policy to archive.")
class ArchivePolicyInput(PolicyIdFields):
    pass


@strawberry.input(description="The policy to restore.")
class RestorePolicyInput(PolicyIdFields):
    pass


@strawberry.input(description="The policy to delete.")
class DeletePolicyInput(PolicyIdFields):
    pass
