"""Reads for approvers: the inbox (what waits for given approvers on each platform), holidays
and balances, each platform read beside the other so one's failure never hides the other's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from adapters.approver_records import HolidayRecord
from adapters.base import ApprovalRecord, Platform
from adapters.clockify.approvers import ClockifyApprovers
from adapters.productive.approvers import ProductiveApprovers
from schema.absence import Holiday, holiday_order
from schema.approval import Approval, approval_order
from schema.connections import Connection, fingerprint, offset_connection
from schema.context import Context
from schema.errors import bad_input
from schema.viewer import gather_platforms

MAX_HOLIDAY_DAYS = 732  # two years: a calendar view, not an archive


def productive_approvers(ctx: Context) -> ProductiveApprovers:
    return ProductiveApprovers(ctx.adapter(Platform.PRODUCTIVE))


def clockify_approvers(ctx: Context) -> ClockifyApprovers:
    return ClockifyApprovers(ctx.adapter(Platform.CLOCKIFY))


async def inbox_records(
    ctx: Context,
    info: strawberry.Info[Context, None],
    approvers: dict[Platform, tuple[str, ...]],
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[ApprovalRecord]:
    """What waits for these approvers (upstream ids by platform), newest period first."""

    async def read(platform: Platform) -> list[ApprovalRecord]:
        ids = approvers.get(platform, ())
        if not ids:
            return []
        if platform is Platform.PRODUCTIVE:
            return await productive_approvers(ctx).inbox(ids, start, end)
        found = await clockify_approvers(ctx).inbox(ids)
        return [
            a
            for a in found
            if (start is None or a.period_end is None or a.period_end >= start)
            and (end is None or a.period_start is None or a.period_start <= end)
        ]

    records = await gather_platforms(ctx, info, [p for p in approvers if approvers[p]], read)
    records.sort(key=approval_order, reverse=True)
    return records


def inbox_connection(
    records: list[ApprovalRecord],
    first: int | None,
    after: str | None,
    last: int | None,
    before: str | None,
    *key: Any,
) -> Connection[Approval]:
    return offset_connection(
        [Approval(record=r) for r in records],
        first,
        after,
        fingerprint("inbox", *key),
        last=last,
        before=before,
    )


async def holiday_objects(
    ctx: Context,
    info: strawberry.Info[Context, None],
    platforms: list[Platform],
    start: dt.date,
    end: dt.date,
    people: dict[Platform, tuple[str, ...]] | None,
) -> list[Holiday]:
    if end < start:
        raise bad_input("dateRange", f"ends ({end}) before it starts ({start})")
    if (end - start).days >= MAX_HOLIDAY_DAYS:
        raise bad_input("dateRange", f"spans more than {MAX_HOLIDAY_DAYS} days")

    async def read(platform: Platform) -> list[HolidayRecord]:
        ids = None if people is None else list(people.get(platform, ()))
        if ids == []:
            return []
        if platform is Platform.PRODUCTIVE:
            return await productive_approvers(ctx).holidays(start, end, ids)
        return await clockify_approvers(ctx).holidays(start, end, ids)

    records = await gather_platforms(ctx, info, platforms, read)
    return [Holiday(record=r) for r in sorted(records, key=holiday_order)]
