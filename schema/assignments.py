"""ApprovalPolicyAssignment: one Productive approval policy assigned to a person (their
absences) or a budget (time tracked on it)."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from adapters.approver_records import AssignmentTarget, PolicyAssignmentRecord
from adapters.base import ApprovalPolicyRecord, Platform
from schema.context import Context
from schema.node import Node

if TYPE_CHECKING:
    from schema.person import Person
    from schema.policy import ApprovalPolicy

PersonRef = Annotated["Person", strawberry.lazy("schema.person")]
ApprovalPolicyRef = Annotated["ApprovalPolicy", strawberry.lazy("schema.policy")]


@strawberry.enum(description="What an approval policy is assigned to.")
class AssignmentTargetKind(Enum):
    PERSON = strawberry.enum_value("PERSON", description="A person: their absences.")
    BUDGET = strawberry.enum_value("BUDGET", description="A budget: the time tracked on it.")

    @staticmethod
    def of(target: AssignmentTarget) -> AssignmentTargetKind:
        return AssignmentTargetKind[target.name]


@strawberry.type(description="An approval policy assigned to a person or a budget (Productive).")
class ApprovalPolicyAssignment(Node):
    """Its ID goes to `unassignApprovalPolicy` and `node(id:)`."""

    record: strawberry.Private[PolicyAssignmentRecord]

    @strawberry.field(description="Productive's own ID for the assignment.")
    def remote_id(self) -> str:
        return self.record.remote_id

    @strawberry.field(description="What the policy is assigned to.")
    def target(self) -> AssignmentTargetKind:
        return AssignmentTargetKind.of(self.record.target)

    @strawberry.field(description="The person, when assigned to a person.")
    async def person(self, info: strawberry.Info[Context, None]) -> PersonRef | None:
        from schema.person import load_person

        if self.record.target is not AssignmentTarget.PERSON:
            return None
        return await load_person(info.context, Platform.PRODUCTIVE, self.record.target_id)

    @strawberry.field(description="Productive's ID of the budget, when assigned to a budget.")
    def budget_remote_id(self) -> str | None:
        return self.record.target_id if self.record.target is AssignmentTarget.BUDGET else None

    @strawberry.field(description="The policy assigned.")
    async def policy(self, info: strawberry.Info[Context, None]) -> ApprovalPolicyRef | None:
        from schema.policy import ApprovalPolicy

        if self.record.policy_id is None:
            return None
        found = await info.context.loaders.policy(Platform.PRODUCTIVE, self.record.policy_id)
        return ApprovalPolicy(record=found) if isinstance(found, ApprovalPolicyRecord) else None

    @strawberry.field(description="The upstream record exactly as received.")
    def raw(self) -> JSON | None:
        return self.record.raw  # type: ignore[return-value]


async def load_assignment(ctx: Context, remote_id: str) -> ApprovalPolicyAssignment | None:
    from schema.approver_reads import productive_approvers

    found = await productive_approvers(ctx).assignments()
    record = next((a for a in found if a.remote_id == remote_id), None)
    return ApprovalPolicyAssignment(record=record) if record else None
