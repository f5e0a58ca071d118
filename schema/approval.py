"""Approval: one decision on tracked time (a Productive entry, a Clockify timesheet request)
or on time off (a Clockify time-off request)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

from adapters.base import ApprovalKind as DomainKind
from adapters.base import ApprovalRecord, Platform, TimeOffPolicyRecord
from schema.arguments import (
    After,
    Before,
    First,
    Last,
)
from schema.connections import Connection, fingerprint, offset_connection
from schema.context import Context
from schema.enums import ApprovalKind, ApprovalStatus
from schema.node import PlatformObject

if TYPE_CHECKING:
    from schema.person import Person
    from schema.policy import TimeOffPolicy
    from schema.time_entry import TimeEntry

PersonRef = Annotated["Person", strawberry.lazy("schema.person")]
TimeEntryRef = Annotated["TimeEntry", strawberry.lazy("schema.time_entry")]
TimeOffPolicyRef = Annotated["TimeOffPolicy", strawberry.lazy("schema.policy")]


def approval_remote_id(record: ApprovalRecord) -> str:
    """Clockify's two kinds of approval live at different paths; the ID says which (and a
    time-off request's policy, which its path needs). A Productive absence is a booking."""
    if record.platform is Platform.PRODUCTIVE:
        if record.kind is DomainKind.TIME_OFF:
            return f"booking/{record.remote_id}"
        return record.remote_id
    if record.kind is DomainKind.TIME_OFF:
        return f"time_off/{record.policy_id}/{record.remote_id}"
    return f"timesheet/{record.remote_id}"


@strawberry.type(description="A decision on tracked time or time off.")
class Approval(PlatformObject):
    record: strawberry.Private[ApprovalRecord]

    def id_remote(self) -> str:
        return approval_remote_id(self.record)

    @strawberry.field(description="What is being decided on.")
    def kind(self) -> ApprovalKind:
        return ApprovalKind.of(self.record.kind)

    @strawberry.field(description="Where the decision stands.")
    def status(self) -> ApprovalStatus:
        return ApprovalStatus.of(self.record.state)

    @strawberry.field(description="The platform's own state value.")
    def upstream_status(self) -> str:
        return self.record.state_raw

    @strawberry.field(description="Whose time (or time off) it is.")
    async def requester(self, info: strawberry.Info[Context, None]) -> PersonRef | None:
        from schema.person import load_person

        return await load_person(info.context, self.record.platform, self.record.requester_id)

    @strawberry.field(description="First day covered, in the requester's time zone.")
    def period_start(self) -> dt.date | None:
        return self.record.period_start

    @strawberry.field(description="Last day covered, in the requester's time zone.")
    def period_end(self) -> dt.date | None:
        return self.record.period_end

    @strawberry.field(description="The time entries the decision covers (empty for time off).")
    async def time_entries(
        self,
        info: strawberry.Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[TimeEntryRef]:
        from schema.time_entry import TimeEntry

        # The approval's own answer lists its entries; no request per entry is needed.
        nodes = [TimeEntry(record=r) for r in self.record.entries]
        return offset_connection(
            nodes,
            first,
            after,
            fingerprint("approval", self.record.remote_id),
            last=last,
            before=before,
        )

    @strawberry.field(description="Total time covered in whole minutes, where known.")
    def total_minutes(self) -> int | None:
        seconds = self.record.total_seconds
        return None if seconds is None else seconds // 60

    @strawberry.field(description="Who decided.")
    async def decided_by(self, info: strawberry.Info[Context, None]) -> PersonRef | None:
        from schema.person import load_person

        return await load_person(info.context, self.record.platform, self.record.decided_by_id)

    @strawberry.field(description="When it was decided.")
    def decided_at(self) -> dt.datetime | None:
        return self.record.decided_at

    @strawberry.field(description="The decision's note or rejection reason.")
    def note(self) -> str | None:
        return self.record.note

    @strawberry.field(description="The time-off policy a time-off request is made under.")
    async def time_off_policy(
        self, info: strawberry.Info[Context, None]
    ) -> TimeOffPolicyRef | None:
        from schema.policy import TimeOffPolicy

        if self.record.kind is not DomainKind.TIME_OFF or not self.record.policy_id:
            return None
        record = await info.context.loaders.policy(self.record.platform, self.record.policy_id)
        return TimeOffPolicy(record=record) if isinstance(record, TimeOffPolicyRecord) else None


def approval_order(record: ApprovalRecord) -> tuple[str, str, str]:
    """Approvals sort by period start (newest first when reversed), then platform and id."""
    return (
        record.period_start.isoformat() if record.period_start else "",
        record.platform.value,
        record.remote_id,
    )
