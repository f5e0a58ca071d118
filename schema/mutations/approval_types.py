"""Inputs and payloads of the approval mutations."""

from __future__ import annotations

import datetime as dt

import strawberry

from schema.approval import Approval
from schema.enums import PlatformName
from schema.mutations.common import KEY_DESCRIPTION, UserError


@strawberry.input(description="What to approve.")
class ApproveInput:
    ids: list[strawberry.ID] = strawberry.field(
        description="Approval IDs, or Productive TimeEntry IDs; at most 200."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input(description="What to take back.")
class WithdrawInput:
    ids: list[strawberry.ID] = strawberry.field(
        description="Approval IDs, or Productive TimeEntry IDs; at most 200."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input(description="What to reject, and why.")
class RejectInput:
    ids: list[strawberry.ID] = strawberry.field(
        description="Approval IDs, or Productive TimeEntry IDs; at most 200."
    )
    reason: str | None = strawberry.field(default=None, description="Why; shown to the person.")
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.input(description="Submit time for approval.")
class SubmitForApprovalInput:
    platform: PlatformName = strawberry.field(description="Where to submit.")
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="Whose time (a Person ID); default: the viewer."
    )
    date: dt.date = strawberry.field(
        description="Productive: the day (a timesheet); Clockify: a day of the week to submit."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=KEY_DESCRIPTION)


@strawberry.type(description="The approvals a mutation changed, and what it could not change.")
class ApprovalsPayload:
    approvals: list[Approval] = strawberry.field(description="Approvals as they are now.")
    user_errors: list[UserError] = strawberry.field(
        description="One per item that could not change, naming it by `field`."
    )


@strawberry.type(
    description="What approve did: the approvals as they are now, and what could not change."
)
class ApprovePayload(ApprovalsPayload):
    pass


@strawberry.type(
    description="What reject did: the approvals as they are now, and what could not change."
)
class RejectPayload(ApprovalsPayload):
    pass


@strawberry.type(
    description="What withdraw did: the approvals as they are now, and what could not change."
)
class WithdrawPayload(ApprovalsPayload):
    pass


@strawberry.type(
    description="What submitForApproval did: the approvals it created, and any problem."
)
class SubmitForApprovalPayload(ApprovalsPayload):
    pass
