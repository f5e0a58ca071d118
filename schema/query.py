"""The root Query type: nodes, the viewer, people, time entries, timers, policies, approvals
(holidays come from schema/absence_query.py, the catalog and timer history from theirs)."""

from __future__ import annotations

import strawberry

from adapters.base import ApprovalKind as DomainApprovalKind
from adapters.base import (
    ApprovalRecord,
    ApprovalState,
    PersonRecord,
    Platform,
    PolicyRecord,
    TimerRecord,
)
from adapters.concurrency import gather
from adapters.errors import AdapterError
from schema.absence_query import AbsenceQuery
from schema.approval import Approval, approval_order
from schema.approver_reads import inbox_records
from schema.arguments import (
    After,
    ApprovalFilterArg,
    Before,
    EntryFilterArg,
    EntryOrderArg,
    First,
    Last,
    NodeIdArg,
    NodeIdsArg,
    PersonFilterArg,
    PolicyFilterArg,
    TimerFilterArg,
)
from schema.catalog import CatalogQuery
from schema.connections import Connection, fingerprint, offset_connection
from schema.context import Context
from schema.entry_connections import entries_connection, prefetch_names
from schema.errors import partial
from schema.filters import (
    ApprovalFilter,
    PersonFilter,
    PolicyFilter,
    PolicyKind,
    TimerFilter,
    check_range,
    people_by_platform,
    platforms_of,
    states_of,
)
from schema.humans.query import HumansQuery
from schema.ids import decode
from schema.node import Node
from schema.nodes import resolve_node
from schema.people_entries import read_everyones_entries
from schema.person import Person
from schema.policy import Policy, policy_object
from schema.selection import selected_relations
from schema.time_entry import TimeEntry
from schema.timer import Timer
from schema.timer_history import TimerHistoryQuery
from schema.viewer import Viewer, gather_platforms


@strawberry.type(description="Read time tracking data across Productive and Clockify.")
class Query(CatalogQuery, TimerHistoryQuery, AbsenceQuery, HumansQuery):
    @strawberry.field(description="Fetch any object by its global ID.")
    async def node(self, info: strawberry.Info[Context, None], id: NodeIdArg) -> Node | None:
        _select_relations(info)
        return await resolve_node(info.context, id, "id")

    @strawberry.field(description="Fetch several objects by global ID, in the given order.")
    async def nodes(
        self, info: strawberry.Info[Context, None], ids: NodeIdsArg
    ) -> list[Node | None]:
        if len(ids) > 200:
            from schema.errors import bad_input

            raise bad_input("ids", f"at most 200 IDs at once, got {len(ids)}")
        _select_relations(info)
        for value in ids:
            decode(value, "ids")  # every ID is checked before any upstream call
        ctx = info.context
        failed: set[str] = set()

        async def one(value: str) -> Node | None:
            try:
                return await resolve_node(ctx, value, "ids")
            except AdapterError as error:
                # One platform failing nulls its own IDs; the others' objects stay.
                if error.platform not in failed:
                    failed.add(error.platform)
                    ctx.partial_errors.append(partial(error, info.path.as_list()))
                return None

        return list(await gather(*(one(i) for i in ids)))

    @strawberry.field(description="Who the request's credentials belong to, on each platform.")
    async def viewer(self, info: strawberry.Info[Context, None]) -> Viewer:
        ctx = info.context

        async def read(platform: Platform) -> list[PersonRecord]:
            return [await ctx.adapter(platform).viewer()]

        records = await gather_platforms(ctx, info, ctx.configured(), read)
        return Viewer(accounts=[Person(record=r) for r in records])

    @strawberry.field(description="People on every configured platform, ordered by name.")
    async def people(
        self,
        info: strawberry.Info[Context, None],
        filter: PersonFilterArg = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Person]:
        ctx = info.context
        flt = filter or PersonFilter()
        platforms = platforms_of(flt.platforms, ctx.configured())
        if Platform.CLOCKIFY in platforms:
            prefetch_names(info)
        read_everyones_entries(info, platforms, flt)

        async def read(platform: Platform) -> list[PersonRecord]:
            found: list[PersonRecord] = await ctx.adapter(platform).list_people(
                text=flt.text, emails=flt.emails, active=flt.active
            )
            return found

        records = await gather_platforms(ctx, info, platforms, read)
        records.sort(key=lambda r: (r.name.lower(), r.platform.value, r.remote_id))
        key = fingerprint("people", flt.text, flt.emails, flt.active, [p.value for p in platforms])
        return offset_connection(
            [Person(record=r) for r in records], first, after, key, last=last, before=before
        )

    @strawberry.field(
        description="Time entries of both platforms as one connection in one "
        "order. `first` is at most 200."
    )
    async def time_entries(
        self,
        info: strawberry.Info[Context, None],
        filter: EntryFilterArg = None,
        order_by: EntryOrderArg = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[TimeEntry]:
        return await entries_connection(info, filter, order_by, first, after, last, before)

    @strawberry.field(description="Timers running now.")
    async def running_timers(
        self, info: strawberry.Info[Context, None], filter: TimerFilterArg = None
    ) -> list[Timer]:
        ctx = info.context
        flt = filter or TimerFilter()
        platforms = platforms_of(flt.platforms, ctx.configured())
        people = people_by_platform(flt.person_ids, "filter.personIds")

        async def read(platform: Platform) -> list[TimerRecord]:
            ids = None if people is None else list(people.get(platform, ()))
            if ids == []:
                return []
            ctx.adapter(platform)
            return await ctx.loaders.running_timers(platform, ids)

        records = await gather_platforms(ctx, info, platforms, read)
        records.sort(key=lambda t: t.started_at)
        return [Timer(record=r) for r in records]

    @strawberry.field(description="Policies of every kind on the configured platforms.")
    async def policies(
        self,
        info: strawberry.Info[Context, None],
        filter: PolicyFilterArg = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Policy]:
        ctx = info.context
        flt = filter or PolicyFilter()
        platforms = platforms_of(flt.platforms, ctx.configured())

        async def read(platform: Platform) -> list[PolicyRecord]:
            found: list[PolicyRecord] = await ctx.loaders.policies[platform].get()
            return found

        objects = [policy_object(r) for r in await gather_platforms(ctx, info, platforms, read)]
        kinds = {
            PolicyKind.TIME_TRACKING: "TimeTrackingPolicy",
            PolicyKind.APPROVAL: "ApprovalPolicy",
            PolicyKind.TIME_OFF: "TimeOffPolicy",
        }
        if flt.kinds is not None:
            wanted = {kinds[k] for k in flt.kinds}
            objects = [o for o in objects if type(o).__name__ in wanted]
        if flt.archived is not None:
            objects = [o for o in objects if o.archived() == flt.archived]
        key = fingerprint("policies", flt.kinds, flt.archived, [p.value for p in platforms])
        return offset_connection(objects, first, after, key, last=last, before=before)

    @strawberry.field(description="Approvals on the configured platforms, newest first.")
    async def approvals(
        self,
        info: strawberry.Info[Context, None],
        filter: ApprovalFilterArg = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[Approval]:
        ctx = info.context
        flt = filter or ApprovalFilter()
        platforms = platforms_of(flt.platforms, ctx.configured())
        people = people_by_platform(flt.person_ids, "filter.personIds")
        states = states_of(flt.statuses)
        check_range(flt.date_range, "filter.dateRange")
        kinds = frozenset(DomainApprovalKind(k.value) for k in flt.kinds) if flt.kinds else None
        start = flt.date_range.start if flt.date_range else None
        end = flt.date_range.end if flt.date_range else None

        async def read(platform: Platform) -> list[ApprovalRecord]:
            ids = None if people is None else list(people.get(platform, ()))
            if ids == []:
                return []
            found: list[ApprovalRecord] = await ctx.adapter(platform).list_approvals(
                states=states, person_ids=ids, start=start, end=end, kinds=kinds
            )
            return found

        approvers = people_by_platform(flt.awaiting_approver_ids, "filter.awaitingApproverIds")
        if approvers is None:
            records = await gather_platforms(ctx, info, platforms, read)
        else:
            chosen = {p: approvers.get(p, ()) for p in platforms}
            records = await inbox_records(ctx, info, chosen, start, end)
            records = [
                r
                for r in records
                if (states is None or r.state in states or ApprovalState.PENDING in states)
                and (people is None or r.requester_id in people.get(r.platform, ()))
            ]
        if flt.kinds is not None:
            wanted = {str(k.value) for k in flt.kinds}
            records = [r for r in records if str(r.kind.value) in wanted]
        records.sort(key=approval_order, reverse=True)
        key = fingerprint(
            "approvals",
            flt.kinds,
            states,
            flt.person_ids,
            flt.awaiting_approver_ids,
            start,
            end,
            [p.value for p in platforms],
        )
        return offset_connection(
            [Approval(record=r) for r in records], first, after, key, last=last, before=before
        )


def _select_relations(info: strawberry.Info[Context, None]) -> None:
    relations = selected_relations(info, (info.field_name,))
    for platform in Platform:
        info.context.loaders.relations[platform] |= relations
