"""Reading what a human's days are made of, for many humans at once: one batch of reads per
platform for everyone asked about (entries with their types and approval states, absences,
holidays), plus each Clockify account's work schedule and the Productive policy that applies.
One platform's failure is an error beside the other's data (gather_platforms)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import strawberry

from adapters.approver_records import HolidayRecord
from adapters.base import (
    ApprovalKind,
    ApprovalRecord,
    ApprovalState,
    EntryQuery,
    PersonRecord,
    Platform,
    TimeEntryRecord,
    TimeTrackingPolicyRecord,
    WorkScheduleRecord,
)
from adapters.concurrency import gather
from schema.approver_reads import clockify_approvers, productive_approvers
from schema.context import Context
from schema.humans.days import DayRecord, build_days
from schema.humans.linking import HumanRecord, link
from schema.viewer import gather_platforms

ALL = 1_000_000  # an entry window with no limit
RELATIONS = frozenset({"approval", "type", "project", "task"})  # tasks: the mandatory-task rule


async def all_humans(ctx: Context, info: strawberry.Info[Context, None]) -> list[HumanRecord]:
    async def read(platform: Platform) -> list[PersonRecord]:
        found: list[PersonRecord] = await ctx.loaders.everyone[platform].get()
        return found

    people = await gather_platforms(ctx, info, ctx.configured(), read)
    return link(people, ctx.services.get("human_links") or {})


@dataclass
class Batch:
    """Everything the humans' days need, read once for all of them."""

    entries: list[TimeEntryRecord] = field(default_factory=list)
    holidays: list[HolidayRecord] = field(default_factory=list)
    absences: list[ApprovalRecord] = field(default_factory=list)
    schedules: dict[str, WorkScheduleRecord | None] = field(default_factory=dict)
    policies: dict[str, TimeTrackingPolicyRecord | None] = field(default_factory=dict)


def _ids(humans: Sequence[HumanRecord], platform: Platform) -> list[str]:
    return [a.remote_id for h in humans if (a := h.account(platform)) is not None]


async def read_batch(
    ctx: Context,
    info: strawberry.Info[Context, None],
    humans: Sequence[HumanRecord],
    start: dt.date,
    end: dt.date,
) -> Batch:
    batch = Batch()
    # A day either side: entries crossing midnight into the range, and local dates that
    # differ from the date the platform filed them under.
    wide = EntryQuery(start=start - dt.timedelta(days=1), end=end + dt.timedelta(days=1))

    async def read(platform: Platform) -> list[Any]:
        ids = _ids(humans, platform)
        if not ids:
            return []
        adapter = ctx.adapter(platform)
        query = EntryQuery(person_ids=tuple(ids), start=wide.start, end=wide.end)
        window = adapter.entry_window(query, 0, ALL, RELATIONS)
        if platform is Platform.PRODUCTIVE:
            absences = adapter.absences(query)
            holidays = productive_approvers(ctx).holidays(start, end, ids)
        else:
            absences = adapter.time_off_requests()
            holidays = clockify_approvers(ctx).holidays(start, end, ids)
        found, away, free = await gather(window, absences, holidays)
        if platform is Platform.PRODUCTIVE:
            ctx.loaders.prime(list(found.related))
        batch.entries += [record for record, _ in found.entries]
        wanted = set(ids)
        batch.absences += [
            a
            for a in away
            if a.kind is ApprovalKind.TIME_OFF
            and a.state is ApprovalState.APPROVED
            and a.requester_id in wanted
        ]
        batch.holidays += free
        return []

    await gather_platforms(ctx, info, [p for p in ctx.configured() if _ids(humans, p)], read)
    clockify_ids = _ids(humans, Platform.CLOCKIFY) if Platform.CLOCKIFY in ctx.configured() else []
    policy_ids = {
        a.time_tracking_policy_id
        for h in humans
        if (a := h.account(Platform.PRODUCTIVE)) is not None and a.time_tracking_policy_id
    }
    schedules, policies = await gather(
        ctx.loaders.work_schedule.load_many(clockify_ids) if clockify_ids else _none(),
        gather(*(ctx.loaders.policy(Platform.PRODUCTIVE, p) for p in sorted(policy_ids))),
    )
    batch.schedules = dict(zip(clockify_ids, schedules or [], strict=False))
    batch.policies = {p.remote_id: p for p in policies if isinstance(p, TimeTrackingPolicyRecord)}
    return batch


async def _none() -> list[Any]:
    return []


def days_of(
    human: HumanRecord, batch: Batch, start: dt.date, end: dt.date, now: dt.datetime
) -> list[DayRecord]:
    mine = {(a.platform, a.remote_id) for a in human.accounts}
    entries = [e for e in batch.entries if (e.platform, e.person_id) in mine]
    holidays = [
        h
        for h in batch.holidays
        if h.person_ids is None or any((h.platform, p) in mine for p in h.person_ids)
    ]
    absences = [a for a in batch.absences if (a.platform, a.requester_id) in mine]
    clockify = human.account(Platform.CLOCKIFY)
    schedule = batch.schedules.get(clockify.remote_id) if clockify else None
    return build_days(start, end, entries, holidays, absences, schedule, human.time_zone, now)


def policy_of(human: HumanRecord, batch: Batch) -> TimeTrackingPolicyRecord | None:
    account = human.account(Platform.PRODUCTIVE)
    if account is None or account.time_tracking_policy_id is None:
        return None
    return batch.policies.get(account.time_tracking_policy_id)
