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
from schema.selection import selected_names, selected_relations, subfields
from schema.time_entry import TimeEntry, check_order

# What a detailed-report entry carries of its project and task (clockify-openapi.yaml,
# TimeEntryDto: projectName, projectColor, taskName), besides what every object has.
CARRIED = {
    "project": frozenset({"__typename", "id", "platform", "remoteId", "name", "color"}),
    "task": frozenset({"__typename", "id", "platform", "remoteId", "name"}),
}


def prefetch_names(info: strawberry.Info[Context, None]) -> None:
    """When a list of entries will ask for more of their Clockify projects or tasks than the
    detailed report carries, start reading them now, beside the people and entries, rather
    than in a round trip after the entries. Names alone cost no read at all."""
    ctx = info.context
    if ctx.clockify is None:
        return
    fields = info.selected_fields
    names = selected_names(fields, frozenset({"project", "task", "type"}))
    if "project" not in names:
        return
    # Asking for `type` reads the regular API, whose entries carry no names.
    regular = "type" in names
    projects = regular or bool(subfields(fields, "project") - CARRIED["project"])
    tasks = "task" in names and (regular or bool(subfields(fields, "task") - CARRIED["task"]))
    # Tasks are listed per project, so prefetching them reads the projects first: worth it
    # (no extra call) only when the projects are wanted too.
    if projects:
        ctx.clockify.prefetch(tasks=tasks)


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
    relations = selected_relations(
        info, (info.field_name, "edges", "node"), (info.field_name, "nodes")
    )
    for platform in Platform:
        ctx.loaders.relations[platform] |= relations
    per_platform = scoped(query, people, scopes, platforms)
    if Platform.CLOCKIFY in per_platform:
        prefetch_names(info)
    return await merged_entries(ctx, info.path.as_list(), query, per_platform, page)
