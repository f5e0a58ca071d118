"""Who follows which policy (Productive): a person's own time tracking policy, and approval
policies assigned to people (absences) or budgets (time). Each is one write through `once`,
with a look for a lost answer; upstream's refusals become user errors naming the field."""

from __future__ import annotations

from adapters.approver_records import AssignmentTarget, PolicyAssignmentRecord
from adapters.base import PersonRecord, Platform
from adapters.errors import NotFound, UpstreamRejected
from schema.approver_reads import productive_approvers
from schema.assignments import ApprovalPolicyAssignment
from schema.context import Context
from schema.mutations.absence_types import (
    AssignApprovalPolicyInput,
    AssignTimeTrackingPolicyInput,
    UnassignApprovalPolicyInput,
)
from schema.mutations.attempts import Intent, once
from schema.mutations.common import (
    Outcome,
    Problem,
    Refused,
    UserErrorCode,
    decode_input,
    invalid,
)
from schema.person import Person


def _productive_person(value: str, name: str) -> str:
    key = decode_input(value, (name,), "Person")
    if key.platform is not Platform.PRODUCTIVE:
        raise invalid(
            (name,),
            "policies are assigned on Productive; Clockify has no such assignments",
            UserErrorCode.UNSUPPORTED_ON_PLATFORM,
        )
    return key.remote_id


def _rejected(error: UpstreamRejected, fields: dict[str, str]) -> Refused:
    """422s point at the attribute: `data/attributes/target_id has already been taken`."""
    problems = []
    for item in error.field_errors or []:
        name = (item.pointer or "").rstrip("/").rsplit("/", 1)[-1]
        taken = "taken" in item.message or "archived" in item.message
        code = UserErrorCode.CONFLICT if taken else UserErrorCode.INVALID_INPUT
        field = fields.get(name)
        problems.append(
            Problem(code, f"{field or name}: {item.message}", ("input", field) if field else None)
        )
    return Refused(*(problems or [Problem(UserErrorCode.INVALID_INPUT, error.message)]))


async def assign_time_tracking_policy(
    ctx: Context, value: AssignTimeTrackingPolicyInput
) -> Outcome:
    person = _productive_person(value.person_id, "personId")
    policy = None
    if value.policy_id is not None:
        policy = decode_input(value.policy_id, ("policyId",), "TimeTrackingPolicy").remote_id
    approvers = productive_approvers(ctx)

    async def look(intent: Intent) -> PersonRecord | None:
        return await approvers.person_policy_is(person, intent["policy"])

    async def send(intent: Intent) -> PersonRecord:
        return await approvers.set_person_policy(person, intent["policy"])

    try:
        record = await once(ctx.attempt, "assign", {"policy": policy}, look, send)
    except NotFound:
        raise invalid(
            ("personId",), f"no Productive person {person}", UserErrorCode.NOT_FOUND
        ) from None
    except UpstreamRejected as error:
        raise _rejected(error, {"time_tracking_policy_id": "policyId"}) from None
    ctx.loaders.people[Platform.PRODUCTIVE].clear(person)
    return Outcome(objects={"person": Person(record=record)})


async def assign_approval_policy(ctx: Context, value: AssignApprovalPolicyInput) -> Outcome:
    policy = decode_input(value.policy_id, ("policyId",), "ApprovalPolicy").remote_id
    if (value.person_id is None) == (value.budget_remote_id is None):
        raise invalid(("personId",), "give exactly one of personId and budgetRemoteId")
    if value.person_id is not None:
        target, target_id = AssignmentTarget.PERSON, _productive_person(value.person_id, "personId")
    else:
        target_id = (value.budget_remote_id or "").strip()
        if not target_id.isdigit() or len(target_id) > 18:
            raise invalid(("budgetRemoteId",), "a Productive budget ID is digits only")
        target = AssignmentTarget.BUDGET
    approvers = productive_approvers(ctx)

    async def look(intent: Intent) -> PolicyAssignmentRecord | None:
        return await approvers.assigned(policy, target, target_id)

    async def send(intent: Intent) -> PolicyAssignmentRecord:
        return await approvers.assign(policy, target, target_id)

    name = "personId" if target is AssignmentTarget.PERSON else "budgetRemoteId"
    try:
        record = await once(
            ctx.attempt, "assign", {"target": target.value, "id": target_id}, look, send
        )
    except UpstreamRejected as error:
        raise _rejected(error, {"target_id": name, "approval_policy": "policyId"}) from None
    return Outcome(objects={"assignment": ApprovalPolicyAssignment(record=record)})


async def unassign_approval_policy(ctx: Context, value: UnassignApprovalPolicyInput) -> Outcome:
    key = decode_input(value.assignment_id, ("assignmentId",), "ApprovalPolicyAssignment")
    approvers = productive_approvers(ctx)

    async def look(intent: Intent) -> bool | None:
        return await approvers.assignment_gone(key.remote_id)

    async def send(intent: Intent) -> bool:
        await approvers.unassign(key.remote_id)
        return True

    try:
        await once(ctx.attempt, "unassign", {"id": key.remote_id}, look, send)
    except NotFound:
        raise invalid(
            ("assignmentId",),
            f"no approval policy assignment {key.remote_id}",
            UserErrorCode.NOT_FOUND,
        ) from None
    return Outcome(extra={"unassigned_id": value.assignment_id})
