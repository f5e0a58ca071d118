"""The per-request reads of people's time entries: a window of one query's entries, and every
listed person's entries for one query in one upstream read, taken from everyone's entries when
the people list started that read beside itself (schema/people_entries.py)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cached_property
from typing import Any

from adapters.base import EntryQuery, EntryWindow, Platform, TimeEntryRecord
from adapters.clockify.adapter import ClockifyAdapter
from adapters.concurrency import gather
from adapters.errors import AdapterError
from adapters.productive.adapter import ProductiveAdapter
from adapters.productive.entry_reads import FirstPage

EVERYTHING = 1_000_000
P, C = Platform.PRODUCTIVE, Platform.CLOCKIFY
PersonEntries = dict[str, list[TimeEntryRecord]]


class PersonEntryReads:
    """Mixed into Loaders, which holds the adapters, the relations and the records."""

    relations: dict[Platform, frozenset[str]]
    prime: Callable[[Sequence[Any]], None]
    _p: Callable[[], ProductiveAdapter]
    _c: Callable[[], ClockifyAdapter]

    @cached_property
    def everyones_entries(self) -> dict[tuple[Platform, EntryQuery], asyncio.Task[Any]]:
        """Everyone's entries by query, started beside a people list."""
        return {}

    async def _person_entries(
        self, keys: list[tuple[Platform, str, EntryQuery]]
    ) -> list[list[TimeEntryRecord] | Exception]:
        """Everyone's entries for one query in one upstream request (or as few as paging needs).
        Each platform's group is read concurrently and fails alone: a failing platform's keys
        get its error, the others their entries."""
        groups: dict[tuple[Platform, EntryQuery], list[str]] = defaultdict(list)
        for platform, person_id, query in keys:
            groups[(platform, query)].append(person_id)
        answers = await gather(*(self._group(p, q, ids) for (p, q), ids in groups.items()))
        by_group = dict(zip(groups, answers, strict=True))
        out: list[list[TimeEntryRecord] | Exception] = []
        for platform, person_id, query in keys:
            answer = by_group[(platform, query)]
            out.append(answer if isinstance(answer, Exception) else answer.get(person_id, []))
        return out

    async def _group(
        self, platform: Platform, query: EntryQuery, person_ids: list[str]
    ) -> PersonEntries | AdapterError:
        try:
            window = await self._from_everyones(platform, query, person_ids)
            if window is None:
                window = await self.window(
                    platform, replace(query, person_ids=tuple(person_ids)), 0, EVERYTHING
                )
        except AdapterError as error:
            return error
        per_person: PersonEntries = defaultdict(list)
        for record, _ in window.entries:
            per_person[record.person_id or ""].append(record)
        return per_person

    async def _from_everyones(
        self, platform: Platform, query: EntryQuery, person_ids: list[str]
    ) -> EntryWindow | None:
        """These people's entries from everyone's, when a people list started that read and
        it holds them; None when they are to be read by their IDs."""
        started = self.everyones_entries.get((platform, query))
        window = await started if started is not None else None
        if isinstance(window, AdapterError):
            raise window
        if not isinstance(window, FirstPage):
            return window
        rest = await self._p().everyones_rest(window, query, person_ids)
        if rest is not None:
            self.prime(rest.related)
            self.prime([r for r, _ in rest.entries])
        return rest

    def read_everyones_entries(self, platform: Platform, query: EntryQuery) -> None:
        """Start reading everyone's entries for `query` (which names no people), for the
        person-entries reads of the same query to take theirs from."""
        key = (platform, query)
        if key not in self.everyones_entries:
            self.everyones_entries[key] = asyncio.ensure_future(self._everyone(platform, query))

    async def _everyone(
        self, platform: Platform, query: EntryQuery
    ) -> EntryWindow | FirstPage | AdapterError | None:
        """None when they are not to be read this way: the reads by person IDs then run as
        they would have. Productive's first of several pages waits for the people (see
        `everyones_rest`). A failure (already retried) is every person's: reading again by
        IDs would double the calls to an upstream that is failing."""
        try:
            if platform is P:
                window = await self._p().everyones_entries(query, self.relations[P])
            else:
                window = await self._c().everyones_entries(query, self.relations[C])
                if window is not None:
                    self.prime(await self._c().prefetched())
        except AdapterError as error:
            return error
        if window is not None:
            page = window.window if isinstance(window, FirstPage) else window
            self.prime(page.related)
            self.prime([r for r, _ in page.entries])
        return window

    async def window(self, platform: Platform, query: EntryQuery, offset: int, limit: int) -> Any:
        if platform is P:
            window = await self._p().entry_window(query, offset, limit, self.relations[P])
        else:
            window = await self._c().entry_window(query, offset, limit, self.relations[C])
            # The names the entries will ask for, when a prefetch is reading them: primed,
            # the entries' fields resolve at once instead of awaiting a loader each.
            self.prime(await self._c().prefetched())
        self.prime(window.related)
        self.prime([r for r, _ in window.entries])
        return window
