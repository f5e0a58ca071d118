"""ProductiveAdapter: the unified reads over Productive's JSON:API, batched with filter[id] lists
and compound documents (`include=`) so related records cost no extra request."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from adapters.base import (
    ApprovalKind,
    ApprovalRecord,
    ApprovalState,
    EntryQuery,
    PersonRecord,
    Platform,
    PolicyRecord,
    TimeEntryRecord,
    TimerRecord,
)
from adapters.concurrency import gather
from adapters.errors import NotConfigured, NotFound
from adapters.productive import translate
from adapters.productive.absence_translate import (
    BOOKING_INCLUDE,
    absence_policy,
    booking_approval,
    is_absence,
)
from adapters.productive.catalog import ProductiveCatalog
from adapters.productive.client import ProductiveHttp
from adapters.productive.entry_reads import ProductiveEntryReads
from adapters.productive.jsonapi import Document

PEOPLE_INCLUDE = "subsidiary,organization"
# A running timer's entry with everything a timer query shows about it, in the same request.
TIMER_INCLUDE = "time_entry.person,time_entry.service.deal.project,time_entry.task"


class ProductiveAdapter(ProductiveEntryReads, ProductiveCatalog):
    """Reads for one set of Productive credentials, within one GraphQL request."""

    platform = Platform.PRODUCTIVE

    def tenant(self) -> str:
        """Whose data this is (a digest of base URL and organization or workspace): changes
        are published to, and received by, the same tenant."""
        return self.http.upstream.place.tenant

    def __init__(self, http: ProductiveHttp, person_id: str | None) -> None:
        self.http = http
        self.person_id = person_id
        # Whoever caches records (the request's loaders) hears of every included resource.
        self.share: Callable[[Sequence[Any]], None] = lambda records: None

    async def get_people(self, ids: Sequence[str]) -> list[PersonRecord | None]:
        doc = await self.http.get_all(
            "/people", {"filter[id]": ",".join(ids), "include": PEOPLE_INCLUDE}
        )
        found = {str(r["id"]): translate.person(r, doc) for r in doc.data}
        return [found.get(i) for i in ids]

    async def list_people(
        self, *, text: str | None, emails: Sequence[str] | None, active: bool | None
    ) -> list[PersonRecord]:
        params = {"include": PEOPLE_INCLUDE, "filter[person_type]": "1", "sort": "name"}
        if text:
            params["filter[query]"] = text
        if emails:
            params["filter[email]"] = ",".join(emails)
        if active is not None:
            params["filter[status]"] = "1" if active else "2"
        doc = await self.http.get_all("/people", params)
        return [translate.person(r, doc) for r in doc.data]

    async def viewer(self) -> PersonRecord:
        if not self.person_id:
            raise NotConfigured(
                "productive",
                "Productive's API has no 'current user' endpoint: set PRODUCTIVE_PERSON_ID "
                "(or the X-Productive-Person-Id header) to the token owner's person id",
            )
        person = (await self.get_people([self.person_id]))[0]
        if person is None:
            raise NotConfigured("productive", "PRODUCTIVE_PERSON_ID names no person")
        return person

    async def running_timers(self, person_ids: Sequence[str] | None) -> list[TimerRecord]:
        return (await self.running_timers_with_entries(person_ids))[0]

    async def running_timers_with_entries(
        self, person_ids: Sequence[str] | None
    ) -> tuple[list[TimerRecord], list[TimeEntryRecord]]:
        """Running timers (the newest timers without `stopped_at`) and, included in the same
        request, their time entries with their people."""
        params = {"sort": "-started_at", "include": TIMER_INCLUDE}
        if person_ids is not None:
            if not person_ids:
                return [], []
            params["filter[person_id]"] = ",".join(person_ids)
        doc = await self.http.get_page("/timers", params, 1)
        timers = [translate.timer(r) for r in doc.data]
        entries = [translate.time_entry(r, doc) for r in doc.of_type("time_entries")]
        self.share(self.related_records(doc))
        return [t for t in timers if t.stopped_at is None], entries

    async def timer_history(
        self,
        person_ids: Sequence[str] | None,
        started_after: datetime | None,
        started_before: datetime | None,
    ) -> tuple[list[TimerRecord], list[TimeEntryRecord]]:
        """Timers, running and stopped, newest first, with their entries (included)."""
        params = {"sort": "-started_at", "include": TIMER_INCLUDE}
        if person_ids is not None:
            params["filter[person_id]"] = ",".join(person_ids)
        if started_after is not None:
            params["filter[started_at][gt_eq]"] = started_after.isoformat()
        if started_before is not None:
            params["filter[started_at][lt]"] = started_before.isoformat()
        doc = await self.http.get_all("/timers", params)
        self.share(self.related_records(doc))
        entries = [translate.time_entry(r, doc) for r in doc.of_type("time_entries")]
        return [translate.timer(r) for r in doc.data], entries

    async def get_timers(self, ids: Sequence[str]) -> list[TimerRecord | None]:
        async def one(timer_id: str) -> TimerRecord | None:
            try:
                doc = await self.http.get(f"/timers/{timer_id}")
            except NotFound:
                return None
            return translate.timer(doc.data[0])

        return list(await gather(*(one(i) for i in ids)))

    async def list_policies(self) -> list[PolicyRecord]:
        tracking, approval, events = await gather(
            self.http.get_all("/time_tracking_policies", {"sort": "name"}),
            self.http.get_all("/approval_policies", {}),
            # Kinds of absence are the time-off policies of Productive.
            self.http.get_all("/events", {"filter[absence_type]": "time_off", "sort": "name"}),
        )
        records: list[PolicyRecord] = [translate.time_tracking_policy(r) for r in tracking.data]
        records += [translate.approval_policy(r) for r in approval.data]
        records += [absence_policy(r) for r in events.data]
        return records

    async def list_approvals(
        self,
        *,
        states: frozenset[ApprovalState] | None,
        person_ids: Sequence[str] | None,
        start: date | None = None,
        end: date | None = None,
        kinds: frozenset[ApprovalKind] | None = None,
    ) -> list[ApprovalRecord]:
        """Productive approvals are decisions on single time entries, and absences (bookings
        on an event); drafts are not listed. Both are read at once, each only if asked for."""
        wanted = states or frozenset(
            {ApprovalState.PENDING, ApprovalState.APPROVED, ApprovalState.REJECTED}
        )
        wanted = wanted - {ApprovalState.DRAFT, ApprovalState.WITHDRAWN}
        if not wanted:
            return []
        query = EntryQuery(
            person_ids=tuple(person_ids) if person_ids is not None else None,
            states=wanted,
            descending=True,
            start=start,
            end=end,
        )
        # The approver and rejecter are included: without them the relationships carry no id,
        # and `decidedBy` would be null for every decision.
        params = self.entry_params(query, frozenset({"approver", "rejecter"}))
        entries_wanted = kinds is None or ApprovalKind.TIME_ENTRY in kinds
        absences_wanted = kinds is None or ApprovalKind.TIME_OFF in kinds
        doc, absences = await gather(
            self.http.get_all("/time_entries", params) if entries_wanted else _no_document(),
            self.absences(query) if absences_wanted else _no_records(),
        )
        self.share(self.related_records(doc))
        approvals = [translate.entry_approval(translate.time_entry(r, doc)) for r in doc.data]
        return [a for a in [*approvals, *absences] if a.state in wanted]

    async def absences(self, query: EntryQuery) -> list[ApprovalRecord]:
        """Absence bookings of the people and dates asked about, with who decided them."""
        params = {"include": BOOKING_INCLUDE, "sort": "-started_on"}
        if query.person_ids is not None:
            params["filter[person_id]"] = ",".join(query.person_ids)
        if query.start:
            params["filter[after]"] = query.start.isoformat()
        if query.end:
            params["filter[before]"] = query.end.isoformat()
        doc = await self.http.get_all("/bookings", params)
        return [booking_approval(r) for r in doc.data if is_absence(r)]


async def _no_document() -> Document:
    return Document([], {}, {})


async def _no_records() -> list[ApprovalRecord]:
    return []
