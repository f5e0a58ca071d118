"""The mutations of approvers and absences: request time off, and say who follows which
policy. Each runs through `perform` (idempotency keys, typed user errors)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from schema.context import Context
from schema.mutations.absence_types import (
    AssignApprovalPolicyInput,
    AssignApprovalPolicyPayload,
    AssignTimeTrackingPolicyInput,
    AssignTimeTrackingPolicyPayload,
    RequestTimeOffInput,
    RequestTimeOffPayload,
    UnassignApprovalPolicyInput,
    UnassignApprovalPolicyPayload,
)
from schema.mutations.absences import request_time_off
from schema.mutations.assignments import (
    assign_approval_policy,
    assign_time_tracking_policy,
    unassign_approval_policy,
)
from schema.mutations.keyed import perform


@strawberry.type
class ApproverMutations:
    @strawberry.mutation(
        description="Request time off (Clockify) for the viewer or, where the credentials "
        "may, for someone else. Withdraw a pending request with `withdraw`."
    )
    async def request_time_off(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            RequestTimeOffInput, strawberry.argument(description="The time off to request.")
        ],
    ) -> RequestTimeOffPayload:
        outcome = await perform(info, input, lambda: request_time_off(info.context, input))
        return RequestTimeOffPayload(
            approval=outcome.objects.get("approval"), user_errors=outcome.errors()
        )

    @strawberry.mutation(
        description="Set a person's own time tracking policy (Productive), or clear it so "
        "they inherit their subsidiary's or the organization's."
    )
    async def assign_time_tracking_policy(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            AssignTimeTrackingPolicyInput,
            strawberry.argument(description="Whose policy, and which."),
        ],
    ) -> AssignTimeTrackingPolicyPayload:
        outcome = await perform(
            info, input, lambda: assign_time_tracking_policy(info.context, input)
        )
        return AssignTimeTrackingPolicyPayload(
            person=outcome.objects.get("person"), user_errors=outcome.errors()
        )

    @strawberry.mutation(
        description="Assign a Productive approval policy to a person (their absences) or a "
        "budget (the time tracked on it). One policy per target: unassign the current first."
    )
    async def assign_approval_policy(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            AssignApprovalPolicyInput,
            strawberry.argument(description="Which policy, and to what."),
        ],
    ) -> AssignApprovalPolicyPayload:
        outcome = await perform(info, input, lambda: assign_approval_policy(info.context, input))
        return AssignApprovalPolicyPayload(
            assignment=outcome.objects.get("assignment"), user_errors=outcome.errors()
        )

    @strawberry.mutation(description="Remove an approval policy assignment (Productive).")
    async def unassign_approval_policy(
        self,
        info: strawberry.Info[Context, None],
        input: Annotated[
            UnassignApprovalPolicyInput,
            strawberry.argument(description="Which assignment."),
        ],
    ) -> UnassignApprovalPolicyPayload:
        outcome = await perform(info, input, lambda: unassign_approval_policy(info.context, input))
        removed = outcome.extra.get("unassigned_id")
        return UnassignApprovalPolicyPayload(
            unassigned_id=strawberry.ID(removed) if removed else None,
            user_errors=outcome.errors(),
        )
