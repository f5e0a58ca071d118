"""Human: one person across both tools, with their weekly timesheet, the violations of the
policy that applies to them (counting both tools), and where they tracked the same time twice."""

from __future__ import annotations

import datetime as dt
import weakref
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from adapters.base import Platform, TimeEntryRecord
from schema.context import Context
from schema.enums import PlatformName
from schema.errors import bad_input
from schema.filters import DateRange
from schema.humans import compliance, overlaps
from schema.humans.days import DayRecord, zone
from schema.humans.linking import HumanRecord
from schema.humans.reads import Batch, days_of, policy_of, read_batch
from schema.humans.views import (
    PolicyViolation,
    TimeOverlap,
    TimesheetDay,
    TimesheetRow,
    WeekSubmission,
    overall,
    project_key,
    project_names,
)
from schema.ids import encode
from schema.node import Node

if TYPE_CHECKING:
    from schema.person import Person

PersonRef = Annotated["Person", strawberry.lazy("schema.person")]
MAX_RANGE_DAYS = 62
# Days already computed in this GraphQL request, by human and range: week, compliance and
# overlaps of one human read once.
_MEMO: weakref.WeakKeyDictionary[Any, dict[Any, tuple[list[DayRecord], Batch]]] = (
    weakref.WeakKeyDictionary()
)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def today_of(human: HumanRecord) -> dt.date:
    return now().astimezone(zone(human.time_zone) or dt.UTC).date()


def checked_range(date_range: DateRange, argument: str, most: int = MAX_RANGE_DAYS) -> None:
    if date_range.end < date_range.start:
        raise bad_input(argument, f"ends ({date_range.end}) before it starts ({date_range.start})")
    if (date_range.end - date_range.start).days >= most:
        raise bad_input(argument, f"spans more than {most} days")


async def human_days(
    info: strawberry.Info[Context, None], human: HumanRecord, start: dt.date, end: dt.date
) -> tuple[list[DayRecord], Batch]:
    memo = _MEMO.setdefault(info.context.loaders, {})
    key = (human.anchor.platform, human.anchor.remote_id, start, end)
    if key not in memo:
        batch = await read_batch(info.context, info, [human], start, end)
        memo[key] = (days_of(human, batch, start, end, now()), batch)
    return memo[key]


@strawberry.type(
    description="A human's week: days × projects, with totals, expected hours and "
    "where its submission stands on each platform."
)
class HumanWeek:
    start: dt.date = strawberry.field(description="The week's first day.")
    end: dt.date = strawberry.field(description="The week's last day.")
    days: list[TimesheetDay] = strawberry.field(description="The seven days, in order.")
    projects: list[TimesheetRow] = strawberry.field(
        description="One row per project (and platform), by name; time without a project last."
    )
    worked_minutes: int = strawberry.field(description="Minutes worked in the week, both tools.")
    expected_minutes: int = strawberry.field(description="Minutes expected in the week.")
    break_minutes: int = strawberry.field(description="Minutes of breaks in the week.")
    submissions: list[WeekSubmission] = strawberry.field(
        description="Where the week's submission stands on each platform the human is on."
    )


def _rows(
    days: list[DayRecord], names: dict[tuple[Platform, str | None], str]
) -> list[TimesheetRow]:
    minutes: dict[tuple[Platform, str | None], list[int]] = {}
    for index, day in enumerate(days):
        for piece in day.worked:
            row = minutes.setdefault(project_key(piece.entry), [0] * len(days))
            row[index] += piece.minutes
    rows = []
    for (platform, project), by_day in minutes.items():
        rows.append(
            TimesheetRow(
                platform=PlatformName.of(platform),
                project_id=strawberry.ID(encode("Project", platform, project)) if project else None,
                project_name=names.get((platform, project)),
                minutes_by_day=by_day,
                total_minutes=sum(by_day),
            )
        )
    return sorted(
        rows,
        key=lambda r: (r.project_name is None, (r.project_name or "").lower(), r.platform.value),
    )


@strawberry.type(
    description="One person across both tools: their accounts, linked by email "
    "(or by TIMEBRIDGE_HUMAN_LINKS where emails differ)."
)
class Human(Node):
    record: strawberry.Private[HumanRecord]

    def global_id(self) -> str:
        return encode("Human", self.record.anchor.platform, self.record.anchor.remote_id)

    @strawberry.field(description="The human's name (their Productive account's, if any).")
    def name(self) -> str:
        return self.record.name

    @strawberry.field(description="The human's email.")
    def email(self) -> str | None:
        return self.record.email

    @strawberry.field(description="The time zone their days are counted in (Clockify's).")
    def time_zone(self) -> str | None:
        return self.record.time_zone

    @strawberry.field(description="Their account on each platform.")
    def accounts(self) -> list[PersonRef]:
        from schema.person import Person

        return [Person(record=a) for a in self.record.accounts]

    @strawberry.field(description="The weekly timesheet from both tools.")
    async def week(
        self,
        info: strawberry.Info[Context, None],
        start: Annotated[dt.date, strawberry.argument(description="The week's first day.")],
    ) -> HumanWeek:
        end = start + dt.timedelta(days=6)
        days, _ = await human_days(info, self.record, start, end)
        entries = [p.entry for d in days for p in d.worked]
        names = await project_names(info.context, entries)
        submissions = []
        for account in self.record.accounts:
            mine = [e for e in entries if e.platform is account.platform]
            submissions.append(
                WeekSubmission(platform=PlatformName.of(account.platform), status=overall(mine))
            )
        return HumanWeek(
            start=start,
            end=end,
            days=[TimesheetDay(record=d) for d in days],
            projects=_rows(days, names),
            worked_minutes=sum(d.worked_minutes for d in days),
            expected_minutes=sum(d.expected_minutes for d in days),
            break_minutes=sum(d.break_minutes for d in days),
            submissions=submissions,
        )

    @strawberry.field(
        description="Each day's violations of the Productive time tracking policy that applies "
        "to this human, counting the time of both tools (at most 62 days)."
    )
    async def compliance(
        self,
        info: strawberry.Info[Context, None],
        date_range: Annotated[DateRange, strawberry.argument(description="Which days.")],
    ) -> list[PolicyViolation]:
        checked_range(date_range, "dateRange")
        days, batch = await human_days(info, self.record, date_range.start, date_range.end)
        found = compliance.check(days, policy_of(self.record, batch), today_of(self.record))
        return [PolicyViolation(record=v) for v in found]

    @strawberry.field(
        description="Where this human tracked in both tools at once, and likely duplicates "
        "(at most 62 days)."
    )
    async def overlaps(
        self,
        info: strawberry.Info[Context, None],
        date_range: Annotated[DateRange, strawberry.argument(description="Which days.")],
    ) -> list[TimeOverlap]:
        checked_range(date_range, "dateRange")
        days, _ = await human_days(info, self.record, date_range.start, date_range.end)
        entries = [p.entry for d in days for p in d.worked]
        names = await project_names(info.context, entries)

        def name(entry: TimeEntryRecord) -> str | None:
            return names.get(project_key(entry))

        return [TimeOverlap(record=o) for o in overlaps.find(days, name)]
