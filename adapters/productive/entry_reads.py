"""Productive's time entry reads: a window of a query's entries in its order (`filter[...]`
lists, paged), entries by id, and everyone's entries of a date range in one page, which needs
no person IDs and so is read beside the people list rather than after it."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from adapters.base import EntryQuery, EntryWindow, TimeEntryRecord
from adapters.concurrency import gather
from adapters.productive import translate
from adapters.productive.client import PAGE_SIZE, ProductiveHttp
from adapters.productive.jsonapi import Document

# Unified relation -> the include path that brings it along with a time entry.
ENTRY_INCLUDES = {
    "person": "person",
    "service": "service",
    "project": "service.deal.project",
    "task": "task",
    "approver": "approver",
    "rejecter": "rejecter",
}


def entry_include(relations: frozenset[str]) -> str:
    """The person is always included: without it the answer does not say whose entry it is."""
    paths = {"person"} | {ENTRY_INCLUDES[r] for r in relations if r in ENTRY_INCLUDES}
    return ",".join(sorted(paths))


@dataclass(frozen=True, slots=True)
class FirstPage:
    """The first of several pages of everyone's entries, with how many pages and entries
    there are in all, and the parameters it was read with (the other pages' too)."""

    window: EntryWindow
    pages: int
    total: int
    params: dict[str, str]


class ProductiveEntryReads:
    """Mixed into ProductiveAdapter, which sets `http` and `share`."""

    http: ProductiveHttp
    share: Callable[[Sequence[Any]], None]
    related_records: Callable[[Document], list[Any]]

    def entry_params(self, query: EntryQuery, relations: frozenset[str]) -> dict[str, str]:
        sort = "updated_at" if query.by_updated else "date"
        params = {
            "include": entry_include(relations),
            "sort": f"-{sort}" if query.descending else sort,
        }
        lists = {
            "filter[person_id]": query.person_ids,
            "filter[project_id]": query.project_ids,
            "filter[service_id]": query.service_ids,
            "filter[task_id]": query.task_ids,
        }
        for name, ids in lists.items():
            if ids is not None:
                params[name] = ",".join(ids)
        if query.start:
            params["filter[after]"] = query.start.isoformat()
        if query.end:
            params["filter[before]"] = query.end.isoformat()
        if query.billable is not None:
            params["filter[billable]"] = "true" if query.billable else "false"
        if query.updated_after is not None:
            params["filter[updated_at][gt_eq]"] = query.updated_after.isoformat()
        if query.states:
            codes = {
                translate.STATUS_FILTER[s] for s in query.states if s in translate.STATUS_FILTER
            }
            params["filter[status]"] = ",".join(sorted(codes))
        return params

    async def entry_window(
        self, query: EntryQuery, offset: int, limit: int, relations: frozenset[str] = frozenset()
    ) -> EntryWindow:
        """Entries from position `offset` on, in the query's order; post-filters keep positions."""
        if _matches_nothing(query):
            return EntryWindow([], 0, True)
        params = self.entry_params(query, relations)
        post_filtered = (
            query.running is not None
            or bool(query.text)
            or bool(query.states and query.states & translate.AMBIGUOUS_STATES)
        )
        number = offset // PAGE_SIZE + 1
        skip = offset % PAGE_SIZE
        picked: list[tuple[TimeEntryRecord, int]] = []
        related: list[Any] = []
        total: int | None = None
        exhausted = False
        while len(picked) < limit:
            doc = await self.http.get_page("/time_entries", params, number)
            total = int(doc.meta.get("total_count", 0))
            related += self.related_records(doc)
            for index, resource in enumerate(doc.data[skip:], start=skip):
                record = translate.time_entry(resource, doc)
                if _passes(record, query):
                    picked.append((record, (number - 1) * PAGE_SIZE + index + 1))
                    if len(picked) == limit:
                        break
            skip = 0
            if number >= int(doc.meta.get("total_pages") or 0):
                last_position = picked[-1][1] if picked else offset
                exhausted = len(picked) < limit or last_position >= (total or 0)
                break
            number += 1
        return EntryWindow(picked, None if post_filtered else total, exhausted, tuple(related))

    async def everyones_entries(
        self, query: EntryQuery, relations: frozenset[str]
    ) -> EntryWindow | FirstPage | None:
        """Everyone's entries (the query names no people): their first page, read without
        person IDs. All of them when it is the only page; else the page and how many there
        are, for `everyones_rest` to decide on once the people are known."""
        if query.person_ids is not None:
            return None
        if _matches_nothing(query):
            return EntryWindow([], 0, True)
        params = self.entry_params(query, relations)
        doc = await self.http.get_page("/time_entries", params, 1)
        window = self._page_window(doc, query, 0)
        pages = int(doc.meta.get("total_pages") or 0)
        if pages <= 1:
            return window
        return FirstPage(window, pages, int(doc.meta.get("total_count") or 0), params)

    async def everyones_rest(
        self, first: FirstPage, query: EntryQuery, person_ids: Sequence[str]
    ) -> EntryWindow | None:
        """The other pages of everyone's entries, read at once, when that costs no more calls
        than reading these people's entries by ID would: the first page, ordered by date like
        the rest, shows their share of everyone's. None when it would cost more (a page of a
        big organisation's people): the caller reads by ID instead."""
        wanted = set(person_ids)
        sample = first.window.entries
        share = sum(1 for record, _ in sample if record.person_id in wanted) / max(1, len(sample))
        if math.ceil(share * first.total / PAGE_SIZE) < first.pages - 1:
            return None
        # The first page's parameters: the same sort and includes across all pages, however
        # the request's relations grew meanwhile.
        docs = await gather(
            *(
                self.http.get_page("/time_entries", first.params, n)
                for n in range(2, first.pages + 1)
            )
        )
        entries, related = list(first.window.entries), list(first.window.related)
        for number, doc in enumerate(docs, start=2):
            window = self._page_window(doc, query, (number - 1) * PAGE_SIZE)
            entries += window.entries
            related += window.related
        return EntryWindow(entries, len(entries), True, tuple(related))

    def _page_window(self, doc: Document, query: EntryQuery, before: int) -> EntryWindow:
        records = [translate.time_entry(r, doc) for r in doc.data]
        picked = [(r, before + i) for i, r in enumerate(records, 1) if _passes(r, query)]
        return EntryWindow(picked, len(picked), True, tuple(self.related_records(doc)))

    async def get_time_entries(
        self, ids: Sequence[str], relations: frozenset[str] = frozenset()
    ) -> list[TimeEntryRecord | None]:
        records, related = await self.entries_with_related(ids, relations)
        self.share(related)
        return records

    async def entries_with_related(
        self, ids: Sequence[str], relations: frozenset[str]
    ) -> tuple[list[TimeEntryRecord | None], list[Any]]:
        doc = await self.http.get_all(
            "/time_entries", {"filter[id]": ",".join(ids), "include": entry_include(relations)}
        )
        found = {str(r["id"]): translate.time_entry(r, doc) for r in doc.data}
        return [found.get(i) for i in ids], self.related_records(doc)


def _matches_nothing(query: EntryQuery) -> bool:
    """Filters no Productive entry can pass: no people, no tags (Productive entries have
    none), only non-regular types, or only states Productive has no status for."""
    if query.person_ids == () or query.tag_ids is not None:
        return True
    if query.types is not None and "REGULAR" not in query.types:
        return True
    return query.states is not None and not (query.states & set(translate.STATUS_FILTER))


def _passes(record: TimeEntryRecord, query: EntryQuery) -> bool:
    if query.running is not None and record.running != query.running:
        return False
    if query.states is not None and record.approval_state not in query.states:
        return False
    return not query.text or query.text.lower() in (record.note or "").lower()
