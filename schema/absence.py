"""Holidays and time-off balances: days nobody is expected to work, and what each person has
left on each time-off policy."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from adapters.approver_records import HolidayRecord, TimeOffBalanceRecord
from adapters.base import Platform, TimeOffPolicyRecord
from schema.context import Context
from schema.enums import PlatformName, TimeOffUnit

if TYPE_CHECKING:
    from schema.person import Person
    from schema.policy import TimeOffPolicy

PersonRef = Annotated["Person", strawberry.lazy("schema.person")]
TimeOffPolicyRef = Annotated["TimeOffPolicy", strawberry.lazy("schema.policy")]


@strawberry.type(
    description="A holiday: a Productive holiday-calendar day, or a Clockify workspace holiday."
)
class Holiday:
    record: strawberry.Private[HolidayRecord]

    @strawberry.field(description="The platform the holiday is kept on.")
    def platform(self) -> PlatformName:
        return PlatformName.of(self.record.platform)

    @strawberry.field(description="The platform's own ID for the holiday.")
    def remote_id(self) -> str:
        return self.record.remote_id

    @strawberry.field(description="The holiday's name.")
    def name(self) -> str:
        return self.record.name

    @strawberry.field(description="First day of the holiday.")
    def start_date(self) -> dt.date:
        return self.record.start

    @strawberry.field(description="Last day of the holiday (the first, for one-day holidays).")
    def end_date(self) -> dt.date:
        return self.record.end

    @strawberry.field(
        description="Whether it recurs every year on the same days (Clockify); its dates are "
        "those it was first given."
    )
    def occurs_annually(self) -> bool:
        return self.record.occurs_annually

    @strawberry.field(
        description="The Productive holiday calendar it belongs to; null on Clockify."
    )
    def calendar(self) -> str | None:
        return self.record.calendar

    @strawberry.field(
        description="Of the people asked about (`personIds`), those the holiday applies to; "
        "null when no people were asked about."
    )
    async def people(self, info: strawberry.Info[Context, None]) -> list[PersonRef] | None:
        from schema.person import Person

        if self.record.person_ids is None:
            return None
        loader = info.context.loaders.people[self.record.platform]
        records = await loader.load_many(list(self.record.person_ids))
        return [Person(record=r) for r in records if r is not None]

    @strawberry.field(description="The upstream record exactly as received.")
    def raw(self) -> JSON | None:
        return self.record.raw  # type: ignore[return-value]


@strawberry.type(description="What one person has, has used and has left on a time-off policy.")
class TimeOffBalance:
    record: strawberry.Private[TimeOffBalanceRecord]

    @strawberry.field(description="The time-off policy the balance is on.")
    async def policy(self, info: strawberry.Info[Context, None]) -> TimeOffPolicyRef | None:
        from schema.policy import TimeOffPolicy

        found = await info.context.loaders.policy(self.record.platform, self.record.policy_id)
        return TimeOffPolicy(record=found) if isinstance(found, TimeOffPolicyRecord) else None

    @strawberry.field(description="The policy's name, as the balance carries it.")
    def policy_name(self) -> str:
        return self.record.policy_name

    @strawberry.field(description="Whether the amounts are days or hours.")
    def unit(self) -> TimeOffUnit:
        return TimeOffUnit.HOURS if self.record.unit == "HOURS" else TimeOffUnit.DAYS

    @strawberry.field(description="What the person was given on the policy, in `unit`.")
    def total(self) -> float | None:
        return self.record.total

    @strawberry.field(description="What approved time off has used, in `unit`.")
    def used(self) -> float | None:
        return self.record.used

    @strawberry.field(
        description="What is left, in `unit`; negative where the policy allows a negative "
        "balance and it was overdrawn."
    )
    def remaining(self) -> float | None:
        return self.record.remaining

    @strawberry.field(description="The upstream record exactly as received.")
    def raw(self) -> JSON | None:
        return self.record.raw  # type: ignore[return-value]


def holiday_order(record: HolidayRecord) -> tuple[str, str, str]:
    return (record.start.isoformat(), record.platform.value, record.remote_id)


PLATFORMS_WITH_BALANCES = (Platform.CLOCKIFY,)
