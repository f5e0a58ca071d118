"""One connection over both platforms' time entries, in one order.

Each platform is read as an ordered stream from a position; the two windows are merged, and
every edge's cursor carries the position reached in each stream, so paging forward returns
every entry exactly once. The platforms are read concurrently; a failing one adds an error
with its platform and leaves the other's entries in place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from adapters.base import EntryQuery, EntryWindow, Platform, TimeEntryRecord
from adapters.concurrency import gather
from adapters.errors import AdapterError
from schema.connections import (
    Connection,
    Edge,
    PageInfo,
    check_first,
    decode_cursor,
    encode_cursor,
    fingerprint,
)
from schema.context import Context
from schema.errors import partial
from schema.time_entry import TimeEntry

_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def _sort_key(record: TimeEntryRecord, by_start: bool) -> Any:
    if by_start:
        return record.started_at or _EARLIEST
    return record.date


async def merged_entries(
    ctx: Context,
    path: list[str | int],
    query: EntryQuery,
    per_platform: dict[Platform, EntryQuery],
    first: int,
    after: str | None,
) -> Connection[TimeEntry]:
    check_first(first)
    key = fingerprint("entries", query, {p.value: q for p, q in per_platform.items()})
    start = decode_cursor(after, key)
    platforms = list(per_platform)

    async def read(platform: Platform) -> EntryWindow | AdapterError:
        try:
            window: EntryWindow = await ctx.loaders.window(
                platform, per_platform[platform], start.get(platform.value, 0), first
            )
            return window
        except AdapterError as error:
            return error

    results = await gather(*(read(p) for p in platforms))
    windows: dict[Platform, EntryWindow] = {}
    for platform, result in zip(platforms, results, strict=True):
        if isinstance(result, AdapterError):
            ctx.partial_errors.append(partial(result, path))
        else:
            windows[platform] = result
    heads = {p: 0 for p in windows}
    positions = {p.value: start.get(p.value, 0) for p in platforms}
    edges: list[Edge[TimeEntry]] = []
    while len(edges) < first:
        candidates = [p for p in windows if heads[p] < len(windows[p].entries)]
        if not candidates:
            break
        pick = _choose(candidates, windows, heads, query)
        record, position = windows[pick].entries[heads[pick]]
        heads[pick] += 1
        positions[pick.value] = position
        edges.append(
            Edge(cursor=encode_cursor(dict(positions), key), node=TimeEntry(record=record))
        )
    leftovers = any(heads[p] < len(w.entries) for p, w in windows.items())
    more_upstream = any(not w.exhausted for w in windows.values())
    totals = [w.total for w in windows.values()]
    info = PageInfo(
        has_next_page=leftovers or more_upstream,
        has_previous_page=any(v > 0 for v in start.values()),
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    complete = len(windows) == len(platforms) and all(t is not None for t in totals)
    total = sum(t for t in totals if t is not None) if complete else None
    return Connection(edges=edges, page_info=info, total_count=total)


def _choose(
    candidates: list[Platform],
    windows: dict[Platform, EntryWindow],
    heads: dict[Platform, int],
    query: EntryQuery,
) -> Platform:
    """The next entry in the merged order; on equal keys Productive's comes first."""

    def key(p: Platform) -> Any:
        return _sort_key(windows[p].entries[heads[p]][0], query.by_start_time)

    best = candidates[0]
    for other in candidates[1:]:
        a, b = key(best), key(other)
        if (b > a) if query.descending else (b < a):
            best = other
    return best


def scope_for(
    query: EntryQuery,
    person_ids: dict[Platform, tuple[str, ...]] | None,
    scopes: dict[str, dict[Platform, tuple[str, ...]]],
    platform: Platform,
) -> EntryQuery | None:
    """The query one platform gets; None when a filter leaves it no people, projects, services,
    tasks or tags to match (Clockify has no services, Productive entries no tags)."""
    if person_ids is not None:
        if not person_ids.get(platform):
            return None
        query = replace(query, person_ids=person_ids[platform])
    for field, grouped in scopes.items():
        if not grouped.get(platform):
            return None
        changes: dict[str, Any] = {field: grouped[platform]}
        query = replace(query, **changes)
    return query


def scoped(
    query: EntryQuery,
    person_ids: dict[Platform, tuple[str, ...]] | None,
    scopes: dict[str, dict[Platform, tuple[str, ...]]],
    platforms: list[Platform],
) -> dict[Platform, EntryQuery]:
    """The query each platform gets; a platform a filter leaves nothing to match is skipped."""
    out = {}
    for platform in platforms:
        q = scope_for(query, person_ids, scopes, platform)
        if q is not None:
            out[platform] = q
    return out
