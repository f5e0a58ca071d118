"""Inputs and payloads of the time-off and policy-assignment mutations."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry

from schema.approval import Approval
from schema.assignments import ApprovalPolicyAssignment
from schema.mutations.common import KEY_DESCRIPTION, UserError
from schema.person import Person


@strawberry.enum(description="Which half of a day a half-day request takes.")
class HalfDay(Enum):
    FIRST_HALF = strawberry.enum_value("FIRST_HALF", description="The morning.")
    SECOND_HALF = strawberry.enum_value("SECOND_HALF", description="The afternoon.")


@strawberry.input(description="Time off to request.")
class RequestTimeOffInput:
    policy_id: strawberry.ID = strawberry.field(
        description="The TimeOffPolicy to request it under (Clockify)."
    )
    person_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="For whom (a Person ID); default: the viewer. Requesting for someone "
        "else needs credentials that may (a Clockify workspace admin).",
    )
    start_date: dt.date = strawberry.field(description="First day off, in the person's calendar.")
    end_date: dt.date = strawberry.field(
        description="Last day off, included; not before `startDate`, at most a year later."
    )
    half_day: HalfDay | None = strawberry.field(
        default=None,
        description="Only half of the day (needs `startDate` = `endDate` and a policy that "
        "allows half days).",
    )
    note: str | None = strawberry.field(default=None, description="A note for the approver.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.type(description="What requestTimeOff did.")
class RequestTimeOffPayload:
    approval: Approval | None = strawberry.field(
        description="The time-off request as it is now (PENDING, or APPROVED where the "
        "policy needs no approval)."
    )
    user_errors: list[UserError] = strawberry.field(description="Why nothing was requested.")


@strawberry.input(description="Set or clear the time tracking policy of one person.")
class AssignTimeTrackingPolicyInput:
    person_id: strawberry.ID = strawberry.field(description="Whose policy (a Productive Person).")
    policy_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The TimeTrackingPolicy to set; null clears it, and the person inherits "
        "their subsidiary's or the organization's again.",
    )
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.type(description="What assignTimeTrackingPolicy did.")
class AssignTimeTrackingPolicyPayload:
    person: Person | None = strawberry.field(
        description="The person as now: see `assignedTimeTrackingPolicy` and the effective "
        "`timeTrackingPolicy`."
    )
    user_errors: list[UserError] = strawberry.field(description="Why nothing changed.")


@strawberry.input(
    description="Assign a Productive approval policy to a person (absences) or a budget (time)."
)
class AssignApprovalPolicyInput:
    policy_id: strawberry.ID = strawberry.field(description="The ApprovalPolicy to assign.")
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="The person (a Productive Person); give this or `budgetRemoteId`."
    )
    budget_remote_id: str | None = strawberry.field(
        default=None, description="Productive's ID of the budget (digits); or `personId`."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.type(description="What assignApprovalPolicy did.")
class AssignApprovalPolicyPayload:
    assignment: ApprovalPolicyAssignment | None = strawberry.field(
        description="The assignment made."
    )
    user_errors: list[UserError] = strawberry.field(description="Why nothing was assigned.")


@strawberry.input(description="Remove an approval policy assignment.")
class UnassignApprovalPolicyInput:
    assignment_id: strawberry.ID = strawberry.field(
        description="The ApprovalPolicyAssignment ID (from `ApprovalPolicy.assignments`)."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.type(description="What unassignApprovalPolicy did.")
class UnassignApprovalPolicyPayload:
    unassigned_id: strawberry.ID | None = strawberry.field(
        description="The ID of the assignment removed."
    )
    user_errors: list[UserError] = strawberry.field(description="Why nothing was removed.")
