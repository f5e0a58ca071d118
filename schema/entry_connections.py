"""The time-entry connection behind `timeEntries` and `viewer.timeEntries`: arguments checked,
relations chosen from the selection, then one merged stream over the platforms."""

from __future__ import annotations

import strawberry

from adapters.base import Platform
from schema.connections import Connection
from schema.context import Context
from schema.filters import (
    TimeEntryFilter,
    TimeEntryOrder,
    entry_query,
    people_by_platform,
    platforms_of,
)
from schema.merged_entries import Page, merged_entries, scoped
from schema.selection import entry_relations, selected_names
from schema.time_entry import TimeEntry, check_order


def prefetch_names(info: strawberry.Info[Context, None]) -> None:
    """When a list of entries will ask for Clockify project or task names, start reading them
    now, beside the people and entries, rather than in a round trip after the entries."""
    ctx = info.context
    if ctx.clockify is None:
        return
    names = selected_names(info.selected_fields, frozenset({"project", "task"}))
    # Tasks are listed per project, so prefetching them reads the projects first: worth it
    # (no extra call) only when the project names are wanted too.
    if "project" in names:
        ctx.clockify.prefetch(tasks="task" in names)


async def entries_connection(
    info: strawberry.Info[Context, None],
    flt: TimeEntryFilter | None,
    order_by: TimeEntryOrder | None,
    first: int | None,
    after: str | None,
    last: int | None = None,
    before: str | None = None,
    only_people: dict[Platform, tuple[str, ...]] | None = None,
) -> Connection[TimeEntry]:
    ctx = info.context
    page = Page.of(first, after, last, before)
    query, scopes = entry_query(flt, order_by)
    platforms = platforms_of(flt.platforms if flt else None, ctx.configured())
    check_order(query, platforms, "orderBy")
    people = people_by_platform(flt.person_ids if flt else None, "filter.personIds")
    if only_people is not None:
        people = {
            p: tuple(i for i in ids if people is None or i in people.get(p, ()))
            for p, ids in only_people.items()
        }
    relations = entry_relations(info.selected_fields, (info.field_name, "edges", "node"))
    relations |= entry_relations(info.selected_fields, (info.field_name, "nodes"))
    for platform in Platform:
        ctx.loaders.relations[platform] |= relations
    per_platform = scoped(query, people, scopes, platforms)
    if Platform.CLOCKIFY in per_platform:
        prefetch_names(info)
    return await merged_entries(ctx, info.path.as_list(), query, per_platform, page)
