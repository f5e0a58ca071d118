"""Clockify's time entry reads: many users' finished entries from one detailed report (or, for a
key that may not read it, per-user lists), merged with the running ones, filtered by each
person's local date and sorted.

Everyone's entries need no user IDs: the report without a users filter and the workspace's
in-progress list are sent beside the users list, not after it, and the users only give each
entry its owner's time zone once everything is in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.base import ApprovalRecord, EntryQuery, EntryWindow, PersonRecord, TimeEntryRecord
from adapters.clockify import translate
from adapters.clockify.approval_translate import approval_request, covering, with_approval
from adapters.clockify.client import ClockifyHttp
from adapters.clockify.once import Once
from adapters.concurrency import gather
from adapters.errors import Forbidden

REPORT_PAGE_SIZE = 1000  # the detailed report's maximum


class TooManyPages(Exception):
    """A read limited to one report page would need more, or a read per user."""


class ClockifyEntryReads:
    """Mixed into ClockifyAdapter, which creates the per-request reads below."""

    http: ClockifyHttp
    _users: Once
    _approvals: Once
    report_forbidden: bool

    async def users(self) -> dict[str, PersonRecord]:
        return {str(u["id"]): translate.person(u) for u in await self._users.get()}

    async def approval_requests(self) -> list[ApprovalRecord]:
        records = [approval_request(d) for d in await self._approvals.get()]
        # The newest decision on a period speaks for its entries.
        return sorted(
            records, key=lambda r: r.decided_at or datetime.min.replace(tzinfo=UTC), reverse=True
        )

    async def _finished_entries(
        self,
        person_ids: Sequence[str] | None,
        first: datetime,
        last: datetime,
        typed: bool = False,
        max_pages: int | None = None,
    ) -> list[dict[str, Any]]:
        """Finished entries of many people (None: everyone): one detailed report, unless the
        key may not read it or the entries' `type` is wanted (the report has none,
        clockify-openapi.yaml TimeEntryDto); then each person's regular list, read
        concurrently."""
        if not self.report_forbidden and not typed:
            try:
                return await self._report(person_ids, first, last, max_pages)
            except Forbidden:
                self.report_forbidden = True  # a member's key: fall back to per-user reads
        if max_pages is not None:
            raise TooManyPages  # per-user lists are one read per person, not one page
        ids = person_ids if person_ids is not None else list(await self.users())
        lists = await gather(
            *(
                self.http.get_all(
                    f"{self.http.ws}/user/{pid}/time-entries",
                    {"start": _z(first), "end": _z(last), "in-progress": "false"},
                )
                for pid in ids
            )
        )
        return [dto for chunk in lists for dto in chunk]

    async def _report(
        self,
        person_ids: Sequence[str] | None,
        first: datetime,
        last: datetime,
        max_pages: int | None = None,
    ) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []
        page = 1
        while True:
            body: dict[str, Any] = {
                "dateRangeStart": _z(first),
                "dateRangeEnd": _z(last),
                "timeZone": "UTC",
                "sortOrder": "ASCENDING",
                "detailedFilter": {
                    "page": page,
                    "pageSize": REPORT_PAGE_SIZE,
                    "sortColumn": "DATE",
                },
            }
            if person_ids is not None:
                body["users"] = {"ids": list(person_ids), "contains": "CONTAINS", "status": "ALL"}
            # The report is a read sent as POST: retrying it cannot double anything.
            answer = await self.http.post(
                f"{self.http.ws}/reports/detailed", body, reports=True, safe_to_retry=True
            )
            chunk = answer.get("timeentries") or []
            entries += chunk
            total = sum(t.get("entriesCount") or 0 for t in answer.get("totals") or [])
            if len(chunk) < REPORT_PAGE_SIZE or len(entries) >= total:
                return entries
            if max_pages is not None and page >= max_pages:
                raise TooManyPages
            page += 1

    async def running_entries(self, person_ids: Sequence[str] | None) -> list[dict[str, Any]]:
        if not self.report_forbidden:
            try:
                running = await self.http.get_all(
                    f"{self.http.ws}/time-entries/status/in-progress", page_size=1000
                )
                wanted = set(person_ids) if person_ids is not None else None
                return [e for e in running if wanted is None or e.get("userId") in wanted]
            except Forbidden:
                self.report_forbidden = True
        ids = person_ids if person_ids is not None else list(await self.users())
        lists = await gather(
            *(
                self.http.get(f"{self.http.ws}/user/{pid}/time-entries", {"in-progress": "true"})
                for pid in ids
            )
        )
        return [dto for chunk in lists for dto in chunk]

    async def entry_window(
        self, query: EntryQuery, offset: int, limit: int, relations: frozenset[str] = frozenset()
    ) -> EntryWindow:
        """All matching entries are read (report pages of 1,000), merged with running ones,
        filtered by each person's local date, sorted, then sliced at the cursor's position."""
        records = await self._matching(query, relations)
        window = records[offset : offset + limit]
        positions = [(r, offset + i + 1) for i, r in enumerate(window)]
        return EntryWindow(positions, len(records), offset + limit >= len(records))

    async def everyones_entries(
        self, query: EntryQuery, relations: frozenset[str]
    ) -> EntryWindow | None:
        """Everyone's entries (the query names no people) when their finished ones fit one
        report page, read without waiting for the users list; None when they do not, or when
        this key reads per user (a member's key, or entry types wanted): the caller reads by
        person IDs instead."""
        per_user = self.report_forbidden or query.types is not None or "type" in relations
        if query.person_ids is not None or per_user:
            return None
        try:
            records = await self._matching(query, relations, max_pages=1)
        except TooManyPages:
            return None
        return EntryWindow([(r, i) for i, r in enumerate(records, 1)], len(records), True)

    async def _matching(
        self, query: EntryQuery, relations: frozenset[str], max_pages: int | None = None
    ) -> list[TimeEntryRecord]:
        person_ids = query.person_ids
        if person_ids is not None and not person_ids:
            return []
        first, last = translate.utc_bounds(query.start, query.end)
        want_states = query.states is not None or "approval" in relations
        typed = query.types is not None or "type" in relations
        finished_task = (
            self._finished_entries(person_ids, first, last, typed, max_pages)
            if query.running is not True
            else nothing()
        )
        running_task = self.running_entries(person_ids) if query.running is not False else nothing()
        approvals_task = self.approval_requests() if want_states else nothing()
        users, finished, running, approvals = await gather(
            self.users(), finished_task, running_task, approvals_task
        )
        records = []
        for dto in [*finished, *running]:
            owner = users.get(str(dto.get("userId")))
            # Read for everyone, an entry of someone outside the workspace's users is left out,
            # as a report filtered by the users' IDs would.
            if owner is None and person_ids is None:
                continue
            record = self._entry(dto, owner, approvals)
            if _matches(record, query):
                records.append(record)
        records.sort(key=_order_key(query), reverse=query.descending)
        return records

    def _entry(
        self, dto: dict[str, Any], owner: PersonRecord | None, approvals: list[ApprovalRecord]
    ) -> TimeEntryRecord:
        entry = translate.time_entry(dto, owner.time_zone if owner else None)
        return with_approval(entry, covering(approvals, entry.person_id, entry.date))


def _z(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


async def nothing() -> list[Any]:
    """An awaitable empty list, for a read a query does not need."""
    return []


def _matches(record: TimeEntryRecord, query: EntryQuery) -> bool:
    if query.start and record.date < query.start:
        return False
    if query.end and record.date > query.end:
        return False
    if query.person_ids is not None and record.person_id not in query.person_ids:
        return False
    if query.project_ids is not None and record.project_id not in query.project_ids:
        return False
    if query.service_ids is not None:
        return False  # Clockify has no services
    if query.task_ids is not None and f"{record.project_id}/{record.task_id}" not in query.task_ids:
        return False
    if query.tag_ids is not None and not set(record.tag_ids) & set(query.tag_ids):
        return False
    if query.billable is not None and record.billable != query.billable:
        return False
    if query.types is not None and record.entry_type not in query.types:
        return False
    if query.states is not None and record.approval_state not in query.states:
        return False
    if query.running is not None and record.running != query.running:
        return False
    return not query.text or query.text.lower() in (record.note or "").lower()


def _order_key(query: EntryQuery) -> Callable[[TimeEntryRecord], Any]:
    epoch = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
    if query.by_start_time:
        return lambda r: (r.started_at or epoch, r.remote_id)
    return lambda r: (r.date, r.started_at or epoch, r.remote_id)
