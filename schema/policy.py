"""Policies: Productive time tracking and approval policies, Clockify time-off policies."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from adapters.base import (
    ApprovalPolicyRecord,
    Platform,
    PolicyRecord,
    TimeOffPolicyRecord,
    TimeTrackingPolicyRecord,
)
from schema.arguments import After, Before, First, Last
from schema.connections import Connection, fingerprint, offset_connection
from schema.context import Context
from schema.enums import ApprovalPolicyKind, TimeOffUnit
from schema.node import PlatformObject

if TYPE_CHECKING:
    from schema.assignments import ApprovalPolicyAssignment
    from schema.person import Person

PersonRef = Annotated["Person", strawberry.lazy("schema.person")]
AssignmentRef = Annotated["ApprovalPolicyAssignment", strawberry.lazy("schema.assignments")]


@strawberry.interface(description="Rules about tracking or approving time, on one platform.")
class Policy(PlatformObject):
    @strawberry.field(description="The policy's name.")
    def name(self) -> str:
        return str(self.record.name)

    @strawberry.field(description="Whether the policy is archived.")
    def archived(self) -> bool:
        record = self.record
        if isinstance(record, TimeOffPolicyRecord):
            return record.archived
        return record.archived_at is not None

    @strawberry.field(description="When it was archived (Productive); null when active or unknown.")
    def archived_at(self) -> dt.datetime | None:
        return getattr(self.record, "archived_at", None)

    @strawberry.field(description="Free text describing the policy, where the platform has it.")
    def description(self) -> str | None:
        return getattr(self.record, "description", None)


def _limit(record: TimeTrackingPolicyRecord, name: str) -> float | None:
    value = record.limits.get(name)
    return None if value is None else float(value)


@strawberry.type(
    description="A Productive time tracking policy. Limits are hours, as "
    "Productive documents them; null means no limit."
)
class TimeTrackingPolicy(Policy):
    record: strawberry.Private[TimeTrackingPolicyRecord]

    @strawberry.field(description="Most hours allowed on a working day.")
    def working_day_limit_hours(self) -> float | None:
        return _limit(self.record, "working_day_limit")

    @strawberry.field(description="Most hours allowed on a non-working day.")
    def non_working_day_limit_hours(self) -> float | None:
        return _limit(self.record, "non_working_day_limit")

    @strawberry.field(description="Most hours allowed on a holiday.")
    def holiday_limit_hours(self) -> float | None:
        return _limit(self.record, "holiday_limit")

    @strawberry.field(description="Most hours allowed during a full-day absence.")
    def full_day_absence_limit_hours(self) -> float | None:
        return _limit(self.record, "full_day_absence_limit")

    @strawberry.field(description="Most hours allowed during a half-day absence.")
    def half_day_absence_limit_hours(self) -> float | None:
        return _limit(self.record, "half_day_absence_limit")

    @strawberry.field(description="Every entry needs a note.")
    def note_mandatory(self) -> bool:
        return self.record.flags.get("note_mandatory", False)

    @strawberry.field(description="Every entry needs a task.")
    def task_mandatory(self) -> bool:
        return self.record.flags.get("task_mandatory", False)

    @strawberry.field(description="Every entry needs a start and end time.")
    def time_range_mandatory(self) -> bool:
        return self.record.flags.get("time_range_mandatory", False)

    @strawberry.field(description="Tracking on future days is refused.")
    def restrict_future_tracking(self) -> bool:
        return self.record.flags.get("restrict_future_tracking", False)

    @strawberry.field(description="Tracking beyond a budget is refused.")
    def restrict_tracking_over_budget(self) -> bool:
        return self.record.flags.get("restrict_tracking_over_budget", False)

    @strawberry.field(description="Overlapping time entries are refused.")
    def restrict_time_entry_overlap(self) -> bool:
        return self.record.flags.get("restrict_time_entry_overlap", False)

    @strawberry.field(description="Message shown when tracking is disabled.")
    def disabled_tracking_message(self) -> str | None:
        return self.record.disabled_tracking_message

    @strawberry.field(description="Message shown when tracking is limited.")
    def limited_tracking_message(self) -> str | None:
        return self.record.limited_tracking_message

    @strawberry.field(description="How many people the policy is assigned to directly.")
    def assigned_people_count(self) -> int | None:
        return self.record.assigned_people_count

    @strawberry.field(
        description="The people the policy is assigned to directly, by id; those who inherit "
        "it through their subsidiary or the organization are not listed."
    )
    async def people(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[PersonRef]:
        from schema.approver_reads import productive_approvers
        from schema.person import Person

        found = await productive_approvers(info.context).people_assigned(self.record.remote_id)
        key = fingerprint("policy-people", self.record.remote_id)
        nodes = [Person(record=r) for r in found]
        return offset_connection(nodes, first, after, key, last=last, before=before)


@strawberry.type(description="A Productive approval policy: who approves what.")
class ApprovalPolicy(Policy):
    record: strawberry.Private[ApprovalPolicyRecord]

    @strawberry.field(description="What the policy approves.")
    def kind(self) -> ApprovalPolicyKind:
        return ApprovalPolicyKind.of(self.record.type_id)

    @strawberry.field(description="Productive's own `type_id`.")
    def upstream_type_id(self) -> int | None:
        return self.record.type_id

    @strawberry.field(description="Made for one target (true) or generic for many (false).")
    def custom(self) -> bool:
        return self.record.custom

    @strawberry.field(description="The organization's default generic policy.")
    def default(self) -> bool:
        return self.record.default

    @strawberry.field(description="The people and budgets this policy is assigned to.")
    async def assignments(self, info: strawberry.Info[Context, None]) -> list[AssignmentRef]:
        from schema.approver_reads import productive_approvers
        from schema.assignments import ApprovalPolicyAssignment

        found = await productive_approvers(info.context).assignments()
        mine = [a for a in found if a.policy_id == self.record.remote_id]
        return [ApprovalPolicyAssignment(record=a) for a in mine]


@strawberry.type(
    description="A Clockify time-off policy, or a Productive kind of absence (an event of type "
    "time_off), which people book absences on."
)
class TimeOffPolicy(Policy):
    record: strawberry.Private[TimeOffPolicyRecord]

    @strawberry.field(description="Whether time off is counted in days or hours.")
    def time_unit(self) -> TimeOffUnit:
        return TimeOffUnit(self.record.time_unit)

    @strawberry.field(description="Whether half days may be requested.")
    def allow_half_days(self) -> bool:
        return self.record.allow_half_day

    @strawberry.field(description="Whether the balance may go below zero.")
    def allow_negative_balance(self) -> bool:
        return self.record.allow_negative_balance

    @strawberry.field(description="How far below zero the balance may go, in `timeUnit`.")
    def negative_balance_limit(self) -> float | None:
        return self.record.negative_balance_limit

    @strawberry.field(description="Whether requests need approval.")
    def requires_approval(self) -> bool:
        return self.record.requires_approval

    @strawberry.field(description="Whether team managers approve requests.")
    def team_managers_approve(self) -> bool:
        return self.record.team_managers_approve

    @strawberry.field(description="Specific people who approve requests.")
    async def approvers(self, info: strawberry.Info[Context, None]) -> list[PersonRef]:
        return await _people(info.context, self.record.approver_ids)

    @strawberry.field(description="Whether the policy applies to everyone, new members too.")
    def applies_to_everyone(self) -> bool:
        return self.record.everyone

    @strawberry.field(description="People the policy applies to by name.")
    async def people(self, info: strawberry.Info[Context, None]) -> list[PersonRef]:
        return await _people(info.context, self.record.user_ids)

    @strawberry.field(description="Clockify user group IDs the policy applies to.")
    def group_ids(self) -> list[str]:
        return list(self.record.group_ids)


async def _people(ctx: Context, ids: tuple[str, ...]) -> list[Person]:
    from schema.person import Person

    records = await ctx.loaders.people[Platform.CLOCKIFY].load_many(list(ids))
    return [Person(record=r) for r in records if r is not None]


def policy_object(record: PolicyRecord) -> Policy:
    if isinstance(record, TimeTrackingPolicyRecord):
        return TimeTrackingPolicy(record=record)
    if isinstance(record, ApprovalPolicyRecord):
        return ApprovalPolicy(record=record)
    return TimeOffPolicy(record=record)
