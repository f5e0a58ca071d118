"""Person: one account on one platform, with its time, timer, policy, approvals and twins."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from adapters.base import PersonRecord, Platform, TimeTrackingPolicyRecord, WorkScheduleRecord
from schema.arguments import (
    After,
    Before,
    EntryOrderArg,
    First,
    Last,
    PersonEntryFilterArg,
    StatusesArg,
)
from schema.connections import Connection, fingerprint, offset_connection
from schema.context import Context
from schema.enums import Weekday
from schema.filters import states_of
from schema.node import PlatformObject
from schema.people_entries import person_entry_query
from schema.selection import selected_relations

if TYPE_CHECKING:
    from schema.absence import TimeOffBalance
    from schema.approval import Approval
    from schema.policy import TimeTrackingPolicy
    from schema.time_entry import TimeEntry
    from schema.timer import Timer

TimeEntryRef = Annotated["TimeEntry", strawberry.lazy("schema.time_entry")]
TimerRef = Annotated["Timer", strawberry.lazy("schema.timer")]
PolicyRef = Annotated["TimeTrackingPolicy", strawberry.lazy("schema.policy")]
ApprovalRef = Annotated["Approval", strawberry.lazy("schema.approval")]
BalanceRef = Annotated["TimeOffBalance", strawberry.lazy("schema.absence")]


@strawberry.type(
    description="What a person is expected to work (Clockify's member profile), for undertime "
    "checks and for which daily limit applies."
)
class WorkSchedule:
    record: strawberry.Private[WorkScheduleRecord]

    @strawberry.field(description="Expected minutes on each working day (`workCapacity`).")
    def daily_capacity_minutes(self) -> int | None:
        seconds = self.record.capacity_seconds
        return None if seconds is None else seconds // 60

    @strawberry.field(description="The days the person works (`workingDays`), Monday first.")
    def working_days(self) -> list[Weekday]:
        return [Weekday(d) for d in self.record.working_days]

    @strawberry.field(description="The day the person's week starts (`weekStart`).")
    def week_start(self) -> Weekday | None:
        return Weekday(self.record.week_start) if self.record.week_start else None

    @strawberry.field(description="Expected minutes in a whole week: capacity × working days.")
    def weekly_capacity_minutes(self) -> int | None:
        seconds = self.record.capacity_seconds
        return None if seconds is None else seconds // 60 * len(self.record.working_days)


@strawberry.type(description="A person's account on one platform.")
class Person(PlatformObject):
    record: strawberry.Private[PersonRecord]

    @strawberry.field(description="Full name as the platform shows it.")
    def name(self) -> str:
        return self.record.name

    @strawberry.field(description="First name (Productive; Clockify keeps a single name).")
    def first_name(self) -> str | None:
        return self.record.first_name

    @strawberry.field(description="Last name (Productive; Clockify keeps a single name).")
    def last_name(self) -> str | None:
        return self.record.last_name

    @strawberry.field(description="Email address; the same human shares it across platforms.")
    def email(self) -> str | None:
        return self.record.email

    @strawberry.field(description="Whether the account is active (not deactivated/archived).")
    def active(self) -> bool:
        return self.record.active

    @strawberry.field(description="IANA time zone, where the platform tells it (Clockify).")
    def time_zone(self) -> str | None:
        return self.record.time_zone

    @strawberry.field(description="URL of the person's picture, where there is one.")
    def avatar_url(self) -> str | None:
        return self.record.avatar_url

    @strawberry.field(
        description="This person's time entries on this platform; null (with an "
        "error) when the platform fails."
    )
    async def time_entries(
        self,
        info: strawberry.Info[Context, None],
        filter: PersonEntryFilterArg = None,
        order_by: EntryOrderArg = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[TimeEntryRef] | None:
        from schema.time_entry import TimeEntry

        platform = self.record.platform
        ctx = info.context
        query = person_entry_query(filter, order_by, platform)
        if query is None:
            return offset_connection([], first, after, "none", last=last, before=before)
        relations = selected_relations(
            info, (info.field_name, "edges", "node"), (info.field_name, "nodes")
        )
        ctx.loaders.relations[platform] = ctx.loaders.relations[platform] | relations
        key = fingerprint("person-entries", platform.value, self.record.remote_id, query)
        records = await ctx.loaders.person_entries.load((platform, self.record.remote_id, query))
        return offset_connection(
            [TimeEntry(record=r) for r in records], first, after, key, last=last, before=before
        )

    @strawberry.field(
        description="Expected working time (Clockify's member profile: capacity, working "
        "days, week start); null on Productive, whose people API has none. Clockify reads "
        "one profile per person, concurrently, and only when this field is selected."
    )
    async def work_schedule(self, info: strawberry.Info[Context, None]) -> WorkSchedule | None:
        if self.record.platform is not Platform.CLOCKIFY:
            return None
        record = await info.context.loaders.work_schedule.load(self.record.remote_id)
        return WorkSchedule(record=record) if record else None

    @strawberry.field(description="The timer running for this person now, if any.")
    async def running_timer(self, info: strawberry.Info[Context, None]) -> TimerRef | None:
        from schema.timer import Timer

        record = await info.context.loaders.running_timer[self.record.platform].load(
            self.record.remote_id
        )
        return Timer(record=record) if record else None

    @strawberry.field(
        description="The same human's accounts on the other platforms, matched by email "
        "(case-insensitive). Empty when no email matches or the other platform is not set "
        "up; null (with an error) when it fails."
    )
    async def linked_accounts(self, info: strawberry.Info[Context, None]) -> list[Person] | None:
        email = (self.record.email or "").lower()
        if not email:
            return []
        out = []
        for platform in info.context.configured():
            if platform is self.record.platform:
                continue
            everyone: list[PersonRecord] = await info.context.loaders.everyone[platform].get()
            out += [Person(record=p) for p in everyone if (p.email or "").lower() == email]
        return out

    @strawberry.field(
        description="The time tracking policy that applies (Productive): the person's own, "
        "else their subsidiary's, else the organization's. Null on Clockify."
    )
    async def time_tracking_policy(self, info: strawberry.Info[Context, None]) -> PolicyRef | None:
        from schema.policy import TimeTrackingPolicy

        policy_id = self.record.time_tracking_policy_id
        if self.record.platform is not Platform.PRODUCTIVE or policy_id is None:
            return None
        record = await info.context.loaders.policy(Platform.PRODUCTIVE, policy_id)
        if isinstance(record, TimeTrackingPolicyRecord):
            return TimeTrackingPolicy(record=record)
        return None

    @strawberry.field(
        description="The time tracking policy set on the person themself (Productive), "
        "whether or not it is the one that applies; null when they inherit one."
    )
    async def assigned_time_tracking_policy(
        self, info: strawberry.Info[Context, None]
    ) -> PolicyRef | None:
        from schema.policy import TimeTrackingPolicy

        raw = (self.record.raw.get("attributes") or {}).get("time_tracking_policy_id")
        if self.record.platform is not Platform.PRODUCTIVE or raw is None:
            return None
        record = await info.context.loaders.policy(Platform.PRODUCTIVE, str(raw))
        return (
            TimeTrackingPolicy(record=record)
            if isinstance(record, TimeTrackingPolicyRecord)
            else None
        )

    @strawberry.field(
        description="What the person has, has used and has left on each time-off policy "
        "(Clockify); empty on Productive, whose API documents no balances."
    )
    async def time_off_balances(self, info: strawberry.Info[Context, None]) -> list[BalanceRef]:
        from schema.absence import TimeOffBalance
        from schema.approver_reads import clockify_approvers

        if self.record.platform is not Platform.CLOCKIFY:
            return []
        found = await clockify_approvers(info.context).balances(self.record.remote_id)
        return [TimeOffBalance(record=r) for r in found]

    @strawberry.field(description="Approvals this person requested (or whose time they cover).")
    async def approvals(
        self,
        info: strawberry.Info[Context, None],
        statuses: StatusesArg = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ApprovalRef] | None:
        from schema.approval import Approval

        states = states_of(statuses)
        records = await info.context.loaders.person_approvals.load(
            (self.record.platform, self.record.remote_id, states)
        )
        key = fingerprint("person-approvals", self.record.remote_id, states)
        return offset_connection(
            [Approval(record=r) for r in records], first, after, key, last=last, before=before
        )


async def load_person(ctx: Context, platform: Platform, remote_id: str | None) -> Person | None:
    if remote_id is None:
        return None
    record = await ctx.loaders.people[platform].load(remote_id)
    return Person(record=record) if record else None
