"""One connection over both platforms' time entries, in one order.

Each platform is read as an ordered stream from a position; the two windows are merged, and
every edge's cursor carries the position reached in each stream, so paging forward returns
every entry exactly once. The platforms are read concurrently; a failing one adds an error
with its platform and leaves the other's entries in place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from adapters.base import EntryQuery, EntryWindow, Platform, TimeEntryRecord
from adapters.concurrency import gather
from adapters.errors import AdapterError
from schema.connections import (
    Connection,
    Edge,
    PageInfo,
    check_first,
    check_last,
    decode_cursor,
    fingerprint,
)
from schema.context import Context
from schema.errors import bad_input, partial
from schema.time_entry import TimeEntry

_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def _sort_key(record: TimeEntryRecord, by_start: bool) -> Any:
    if by_start:
        return record.started_at or _EARLIEST
    return record.date


@dataclass(frozen=True, slots=True)
class Page:
    """Which page of a connection: `size` items after `cursor`, or before it when backward."""

    size: int
    cursor: str | None
    backward: bool

    @classmethod
    def of(cls, first: int | None, after: str | None, last: int | None, before: str | None) -> Page:
        backward = check_last(first, after, last, before)
        if backward is None:
            return cls(check_first(first), after, False)
        if before is None:
            # Walking back from the end needs each stream's length, which a post-filtered
            # Productive stream does not tell without reading it whole.
            raise bad_input(
                "last", "needs `before` (a cursor) here; for the newest entries order DESC"
            )
        return cls(backward, before, True)


async def merged_entries(
    ctx: Context,
    path: list[str | int],
    query: EntryQuery,
    per_platform: dict[Platform, EntryQuery],
    page: Page,
) -> Connection[TimeEntry]:
    key = fingerprint("entries", query, {p.value: q for p, q in per_platform.items()})
    cursor = decode_cursor(page.cursor, key, "before" if page.backward else "after")
    platforms = list(per_platform)

    def span(platform: Platform) -> tuple[int, int]:
        """The stream positions to read: after the cursor, or up to it going back."""
        reached = cursor.get(platform.value, 0)
        if not page.backward:
            return reached, page.size
        # A post-filtered Productive stream keeps raw positions: the last `size` matches
        # before the cursor may lie anywhere before it, so it is read from the start.
        post_filtered = platform is Platform.PRODUCTIVE and _post_filtered(per_platform[platform])
        start = 0 if post_filtered else max(0, reached - page.size - 1)
        return start, reached - start

    async def read(platform: Platform) -> EntryWindow | AdapterError:
        offset, limit = span(platform)
        if limit <= 0:
            return EntryWindow([], None, True)
        try:
            window: EntryWindow = await ctx.loaders.window(
                platform, per_platform[platform], offset, limit
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
    if page.backward:
        starts = {p: span(p)[0] for p in windows}
        connection = _backward(windows, starts, cursor, query, page.size, key)
        connection.total_count = _total(windows, platforms)
        return connection
    heads = {p: 0 for p in windows}
    positions = {p.value: cursor.get(p.value, 0) for p in platforms}
    edges: list[Edge[TimeEntry]] = []
    while len(edges) < page.size:
        candidates = [p for p in windows if heads[p] < len(windows[p].entries)]
        if not candidates:
            break
        pick = _choose(candidates, windows, heads, query)
        record, position = windows[pick].entries[heads[pick]]
        heads[pick] += 1
        positions[pick.value] = position
        edges.append(Edge(position=dict(positions), query_key=key, node=TimeEntry(record=record)))
    leftovers = any(heads[p] < len(w.entries) for p, w in windows.items())
    more_upstream = any(not w.exhausted for w in windows.values())
    info = PageInfo(
        has_next_page=leftovers or more_upstream,
        has_previous_page=any(v > 0 for v in cursor.values()),
        start_cursor=edges[0].encoded() if edges else None,
        end_cursor=edges[-1].encoded() if edges else None,
    )
    return Connection(edges=edges, page_info=info, total_count=_total(windows, platforms))


def _total(windows: dict[Platform, EntryWindow], platforms: list[Platform]) -> int | None:
    totals = [w.total for w in windows.values()]
    complete = len(windows) == len(platforms) and all(t is not None for t in totals)
    return sum(t for t in totals if t is not None) if complete else None


def _post_filtered(query: EntryQuery) -> bool:
    return query.running is not None or bool(query.text) or query.states is not None


def _backward(
    windows: dict[Platform, EntryWindow],
    starts: dict[Platform, int],
    cursor: dict[str, int],
    query: EntryQuery,
    size: int,
    key: str,
) -> Connection[TimeEntry]:
    """The `size` entries before the cursor's own entry. Each window ends at the cursor and
    holds at least `size + 1` entries of its stream (or all of them), so merging the windows
    gives the tail of the full merge: its last entry is the cursor's own, and the `size`
    before it are the page. Positions are walked from where each window starts."""
    heads = {p: 0 for p in windows}
    bounded = {
        p: EntryWindow([(r, n) for r, n in w.entries if n <= cursor.get(p.value, 0)], None, True)
        for p, w in windows.items()
    }
    merged: list[tuple[Platform, TimeEntryRecord, int]] = []
    while True:
        candidates = [p for p in bounded if heads[p] < len(bounded[p].entries)]
        if not candidates:
            break
        pick = _choose(candidates, bounded, heads, query)
        record, position = bounded[pick].entries[heads[pick]]
        merged.append((pick, record, position))
        heads[pick] += 1
    body = merged[:-1]  # the last one is the cursor's own entry
    first = max(0, len(body) - size)
    positions = {p.value: starts.get(p, 0) for p in windows}
    edges: list[Edge[TimeEntry]] = []
    for index, (platform, record, position) in enumerate(body):
        positions[platform.value] = position
        if index >= first:
            edges.append(
                Edge(position=dict(positions), query_key=key, node=TimeEntry(record=record))
            )
    info = PageInfo(
        has_next_page=bool(merged),  # the cursor's own entry follows
        has_previous_page=first > 0 or any(v > 0 for v in starts.values()),
        start_cursor=edges[0].encoded() if edges else None,
        end_cursor=edges[-1].encoded() if edges else None,
    )
    return Connection(edges=edges, page_info=info, total_count=None)


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
